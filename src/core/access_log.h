// The access log line: one JSON line per answered HTTP request, written through the same sink
// as log::Write (core/log.h) and looking the same as
//   log::Write(kInfo, "http", "request", {{"method",…},{"route",…},{"status",…},
//              {"duration_ms",…},{"bytes",…}}, request_id)
// would write it, without building a JSON object per request (it is on every request's path).
//
// Thread-safe (as log::Write).
#pragma once

#include <cstddef>
#include <string_view>

namespace countersign::log {

// Writes the access line at info level (dropped when the level is above info). Strings with
// invalid UTF-8 are replaced as log::Write replaces them.
void WriteAccess(std::string_view request_id, std::string_view method, std::string_view route,
                 int status, double duration_ms, size_t bytes);

}  // namespace countersign::log
