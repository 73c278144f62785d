// Small helpers shared by the /v3 handlers to turn results into responses. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "api/fields.h"
#include "core/status.h"
#include "http/message.h"

namespace countersign::api {

// 200 (or `ok_status`) with the JSON, or the Dropbox Sign error for the status.
http::Response Respond(const StatusOr<nlohmann::json>& result, int ok_status = 200);
// The same for a body already written as JSON text.
http::Response RespondText(StatusOr<std::string> result, int ok_status = 200);

// Adds `warnings` (parameter_ignored) to `body` for keys of `fields` no handler read.
void AddIgnoredWarnings(const RequestFields& fields, nlohmann::json& body);

// Logs `status` with `what` when it is an error (for follow-up work whose failure
// must not fail a request that already succeeded).
void LogIfError(const Status& status, const char* what);

// Parses the `page` / `page_size` query parameters (defaults 1 and 20).
StatusOr<std::pair<int, int>> PageParams(const http::Request& request);

}  // namespace countersign::api
