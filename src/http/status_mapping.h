// Status -> HTTP mapping, and error responses in Dropbox Sign's envelope (wire/error.h).
// Thread-safe (pure).
#pragma once

#include <string>

#include "core/status.h"
#include "http/message.h"

namespace countersign::http {

// The HTTP status for a non-OK code (400, 401, 403, 404, 409, 410, 413, 415, 429, 500, 503).
int HttpStatusFor(Code code);

// The reason phrase of the status line for `status` ("Status" for one not listed).
const char* ReasonPhrase(int status);

// A JSON response with `body` and status `status`.
Response JsonResponse(int status, std::string body);
// The Dropbox Sign error response for `status` (which must not be OK). Internal errors get a
// generic message; their detail is for the log, not the client.
Response ErrorResponse(const Status& status);
// The same envelope under `http_status`: the transport's own refusals (414, 431, 501, 505),
// which no Code maps to, carry error_name bad_request as every refused input does.
Response ErrorResponse(const Status& status, int http_status);

}  // namespace countersign::http
