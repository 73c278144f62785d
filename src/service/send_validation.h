// Validation of the fields of a signature request send (docs/signature-requests.md): signers,
// CC addresses, texts, metadata, expiry and URLs. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/signature_request_service.h"

namespace countersign {

// Free texts must pass CheckPlainText (service/text_validation.h).
// Checks and normalises (trims names, lower-cases emails) the signers.
Status ValidateSigners(std::vector<SignerInput>& signers);
Status ValidateCcEmails(std::vector<std::string>& emails);
// At most 10 keys, keys <= 40 characters, each value <= 1000 characters serialised.
Status ValidateMetadata(const nlohmann::json& metadata);
// title/subject <= 255, message <= 5000, signing_redirect_url http(s), expires_at within
// (now, now + 90 days], signing_options and field_options as the API defines them.
Status ValidateTexts(const SendInput& input, int64_t now);
// Whether the signing_options object `options` lets a signer use `kind` ("draw" or "type"): yes
// unless its flag is false and it is not the default_type (the SDKs send every flag, false
// unless set, beside the default_type). A flag that is no boolean does not forbid.
bool SigningOptionsAllow(const nlohmann::json& options, const char* kind);
// field_options (openapi SubFieldOptions): date_format, when given, one of the API's formats.
Status ValidateFieldOptions(const std::string& field_options_json);

}  // namespace countersign
