#include "core/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/access_log.h"
#include "core/json_dump.h"

namespace countersign::log {

namespace {

spdlog::level::level_enum ToSpd(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> MakeLogger() {
  spdlog::sink_ptr sink;
  try {
    // A buffered file sink on our own stderr: one write per buffer, not per line.
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>("/dev/stderr");
  } catch (const spdlog::spdlog_ex&) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  }
  auto logger = std::make_shared<spdlog::logger>("countersign", std::move(sink));
  // Time and level by spdlog; the rest of the object is the message (see Write).
  logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      "{\"time\":\"%Y-%m-%dT%H:%M:%S.%eZ\",\"level\":\"%l\",%v", spdlog::pattern_time_type::utc));
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
  return logger;
}

spdlog::logger& Logger() {
  static const std::shared_ptr<spdlog::logger> logger = MakeLogger();
  return *logger;
}

}  // namespace

void WriteAccess(std::string_view request_id, std::string_view method, std::string_view route,
                 int status, double duration_ms, size_t bytes) {
  spdlog::logger& logger = Logger();
  if (!logger.should_log(spdlog::level::info)) return;
  // The keys in Write's order: component, request_id, msg, then the fields sorted by name.
  std::string text;
  text.reserve(160 + route.size());
  text += "\"component\":\"http\"";
  if (!request_id.empty()) {
    text += ",\"request_id\":";
    AppendJsonString(request_id, text);
  }
  text += ",\"msg\":\"request\",\"bytes\":";
  text += std::to_string(bytes);
  text += ",\"duration_ms\":";
  AppendJsonNumber(duration_ms, text);  // the same number text as Write
  text += ",\"method\":";
  AppendJsonString(method, text);
  text += ",\"route\":";
  AppendJsonString(route, text);
  text += ",\"status\":";
  text += std::to_string(status);
  text += '}';
  logger.log(spdlog::level::info, std::string_view(text));
}

void SetLevel(Level level) { Logger().set_level(ToSpd(level)); }

void Write(Level level, std::string_view component, std::string_view message,
           const nlohmann::json& fields, std::string_view request_id) {
  spdlog::logger& logger = Logger();
  if (!logger.should_log(ToSpd(level))) return;
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  line["component"] = component;
  if (!request_id.empty()) line["request_id"] = request_id;
  line["msg"] = message;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  // The fixed prefix (time, level) comes from the formatter; invalid UTF-8 is replaced.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  logger.log(ToSpd(level), std::string_view(text).substr(1));  // without the leading '{'
}

void Flush() { Logger().flush(); }

}  // namespace countersign::log
