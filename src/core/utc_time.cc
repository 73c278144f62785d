#include "core/utc_time.h"

#include <ctime>

namespace countersign {

std::string FormatUtc(int64_t unix_seconds, const char* format, const std::string& fallback) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return fallback;
  char out[128];
  size_t n = std::strftime(out, sizeof out, format, &tm);
  if (n == 0) return fallback;
  return std::string(out, n);
}

}  // namespace countersign
