// Fast JSON serialisation for responses. Produces the same compact text as
// nlohmann::json::dump() (invalid UTF-8 replaced by U+FFFD), but copies plain ASCII strings in
// one step instead of escaping them byte by byte, which halves the cost of a typical API
// response. Thread-safe (pure).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace countersign {

std::string DumpJson(const nlohmann::json& value);

// True when every byte of `s` is printable ASCII (0x20..0x7e) other than '"' and '\\': the
// text a JSON string holds as it is. Eight bytes per step (SWAR, exact for "any byte").
inline bool IsPlainJsonText(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  // Nonzero iff some byte of `x` is below `n` (n <= 128; "hasless", Bit Twiddling Hacks).
  auto has_less = [](uint64_t x, uint64_t n) { return (x - kOnes * n) & ~x & kHigh; };
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & kHigh) | has_less(w, 0x20) | has_less(w ^ (kOnes * 0x7f), 1) |
        has_less(w ^ (kOnes * '"'), 1) | has_less(w ^ (kOnes * '\\'), 1)) {
      return false;
    }
  }
  for (; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

// Appends `s` as a JSON string exactly as DumpJson writes string values (for code that writes
// JSON text directly): printable ASCII without '"' or '\\' as it is, anything else through
// nlohmann (escapes, invalid UTF-8 replaced). Inline, so that the log library, below this one,
// writes its lines with it too.
inline void AppendJsonString(std::string_view s, std::string& out) {
  if (!IsPlainJsonText(s)) {
    out.append(nlohmann::json(std::string(s))
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  out.push_back('"');
  out.append(s);
  out.push_back('"');
}

// Appends `value` as nlohmann::json(value).dump() writes it: "null" for NaN and infinities,
// else nlohmann's own shortest round-trip text (its Grisu2 `to_chars`, e.g. "1.0", "0.25",
// "1e-05"), without building a json value and a serializer.
inline void AppendJsonNumber(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  char buffer[64];  // the serializer's number_buffer
  const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<size_t>(end - buffer));
}

}  // namespace countersign
