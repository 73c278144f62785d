// Unix seconds as UTC text. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace countersign {

// `unix_seconds` in UTC through strftime's `format` (e.g. "%Y-%m-%d %H:%M UTC"); `fallback`
// when the time cannot be broken down or the text would exceed 127 bytes.
std::string FormatUtc(int64_t unix_seconds, const char* format, const std::string& fallback);

}  // namespace countersign
