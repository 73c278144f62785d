#include "pdf/poppler_messages.h"

#include <poppler/cpp/poppler-global.h>

#include <string>

#include "core/log.h"

namespace countersign {
namespace {

void LogPopplerMessage(const std::string& message, void* /*closure*/) {
  log::Write(log::Level::kDebug, "pdf", "poppler", {{"message", message}});
}

}  // namespace

void SendPopplerMessagesToLog() { poppler::set_debug_error_function(LogPopplerMessage, nullptr); }

}  // namespace countersign
