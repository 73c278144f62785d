// Dropbox Sign's error envelope:
//   {"error": {"error_msg": "...", "error_name": "...", "error_path": "..."}}
// Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace countersign::wire {

// Dropbox Sign's `error_name` for a code ("bad_request", "unauthorized", "forbidden",
// "not_found", "conflict", "deleted", "exceeded_rate", "invalid_grant", "invalid_client", ...).
std::string ErrorNameFor(Code code);

// The envelope for `status` (which must not be OK). Internal errors get a generic message;
// their detail is for the log, not the client. error_path only when the status has a path.
nlohmann::json RenderError(const Status& status);

}  // namespace countersign::wire
