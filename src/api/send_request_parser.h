// Reads the fields of POST /v3/signature_request/send, in any encoding the clients use
// (JSON, SDK multipart with JSON-text fields, legacy bracket form with file[0] parts), into a
// SendInput. Types and shapes only; SignatureRequestService checks values. Not thread-safe
// (per request).
#pragma once

#include "api/fields.h"
#include "core/status.h"
#include "service/signature_request_service.h"

namespace countersign::api {

StatusOr<SendInput> ParseSendRequest(RequestFields& fields);

}  // namespace countersign::api
