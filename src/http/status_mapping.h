// Status -> HTTP mapping and Dropbox Sign's error envelope:
//   {"error": {"error_msg": "...", "error_name": "...", "error_path": "..."}}
// Thread-safe (pure).
#pragma once

#include <string>

#include "core/status.h"
#include "http/message.h"

namespace countersign::http {

// The HTTP status for a non-OK code (400, 401, 403, 404, 409, 410, 413, 415, 429, 500, 503).
int HttpStatusFor(Code code);
// Dropbox Sign's `error_name` for a code ("bad_request", "unauthorized", "forbidden",
// "not_found", "conflict", "deleted", "exceeded_rate", "invalid_grant", "invalid_client", ...).
std::string ErrorNameFor(Code code);

// A JSON response with `body` and status `status`.
Response JsonResponse(int status, std::string body);
// The Dropbox Sign error response for `status` (which must not be OK). Internal errors get a
// generic message; their detail is for the log, not the client.
Response ErrorResponse(const Status& status);

}  // namespace countersign::http
