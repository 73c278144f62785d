// Helpers shared by the libFuzzer targets in fuzz/*.cc: splitting one fuzz input into the
// pieces a parser takes, and a crash-on-violation check for the properties a target asserts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace countersign::fuzz {

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits "HEADER\nBODY" at the first newline: {HEADER, BODY}. Without a newline the header is
// empty and the whole input is the body.
inline std::pair<std::string_view, std::string_view> SplitFirstLine(std::string_view input) {
  size_t nl = input.find('\n');
  if (nl == std::string_view::npos) return {std::string_view(), input};
  return {input.substr(0, nl), input.substr(nl + 1)};
}

// Aborts (a finding for libFuzzer) with `what` when `ok` is false.
inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace countersign::fuzz
