// Log: levelled, structured logging on spdlog. Every line on stderr is one JSON object:
//   {"time":"2026-11-30T23:40:01.123Z","level":"info","component":"http",
//    "request_id":"…","msg":"request","method":"GET",…}
// `fields` (a JSON object) are added after "msg"; strings with invalid UTF-8 are replaced.
// Lines are buffered and flushed every second and at once for warnings and errors, so the
// access log costs no system call per request.
//
// Thread-safe. The process has one stderr, so there is one sink behind these functions
// (spdlog's registry); components name themselves per call, after Envoy's component loggers.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace countersign::log {

enum class Level { kDebug, kInfo, kWarn, kError };

// Lines below `level` are dropped (default kInfo).
void SetLevel(Level level);

void Write(Level level, std::string_view component, std::string_view message,
           const nlohmann::json& fields = nullptr, std::string_view request_id = {});

inline void Info(std::string_view component, std::string_view message,
                 const nlohmann::json& fields = nullptr) {
  Write(Level::kInfo, component, message, fields);
}
inline void Warn(std::string_view component, std::string_view message,
                 const nlohmann::json& fields = nullptr) {
  Write(Level::kWarn, component, message, fields);
}
inline void Error(std::string_view component, std::string_view message,
                  const nlohmann::json& fields = nullptr) {
  Write(Level::kError, component, message, fields);
}

// Writes out what is buffered (before exit).
void Flush();

}  // namespace countersign::log
