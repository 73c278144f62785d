// The answer to a send (POST /v3/signature_request/send and /send_with_template): the stored
// request as `signature_request`, with the warnings for parameters that were ignored and for
// form and custom fields Countersign accepts but does not act on. Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/fields.h"
#include "model/signature_request_records.h"

namespace countersign::api {

// `fields`: the request's parameters (unread keys are warned about); `ignored`: the parameters
// the parser accepted without acting on them (SendInput::ignored_parameters).
nlohmann::json SentRequestBody(const SignatureRequest& request, const std::string& base_url,
                               const RequestFields& fields,
                               const std::vector<std::string>& ignored);

}  // namespace countersign::api
