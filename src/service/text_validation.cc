#include "service/text_validation.h"

#include <cstdint>

namespace countersign {

namespace {

// Decodes the UTF-8 sequence at text[i]; returns its length, or 0 when it is malformed.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t& code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i + k) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

bool IsBidiControl(uint32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

Status CheckPlainText(std::string_view text, const std::string& path, bool multiline) {
  for (size_t i = 0; i < text.size();) {
    uint32_t c = 0;
    size_t length = DecodeUtf8(text, i, c);
    if (length == 0) return InvalidArgument(path + " is not valid UTF-8 text", path);
    bool allowed_space = multiline && (c == '\t' || c == '\n' || c == '\r');
    if ((c < 0x20 && !allowed_space) || (c >= 0x7F && c <= 0x9F)) {
      return InvalidArgument(path + " may not contain control characters", path);
    }
    if (IsBidiControl(c)) {
      return InvalidArgument(path + " may not contain bidirectional override characters", path);
    }
    i += length;
  }
  return Status::Ok();
}

size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

}  // namespace countersign
