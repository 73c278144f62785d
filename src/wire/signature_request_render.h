// Renders a signature request as the Dropbox Sign `signature_request` object (CONTRACT.md
// §6.4). Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/response_datum.h"
#include "model/signature_request_records.h"

namespace countersign::wire {

// `base_url`: the public URL for files_url and details_url.
// `fields`: the request's response_data and custom_fields (service/field_values.h FieldDataOf).
nlohmann::json RenderSignatureRequest(const SignatureRequest& request, const std::string& base_url,
                                      const RequestFieldData& fields = {});

}  // namespace countersign::wire
