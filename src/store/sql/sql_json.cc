#include "store/sql/sql_json.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace countersign {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The strings of `text` when it is a JSON array whose strings are printable ASCII without '"'
// and '\\' (what ToJsonList writes for scopes, domains, e-mail addresses), JSON whitespace
// allowed between tokens; nullopt for anything else (escapes, other bytes, malformed text),
// which the caller leaves to nlohmann. What this accepts, nlohmann reads to the same strings.
std::optional<std::vector<std::string>> ParsePlainList(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  auto skip_space = [&] {
    while (i < n && IsJsonSpace(text[i])) ++i;
  };
  skip_space();
  if (i == n || text[i] != '[') return std::nullopt;
  ++i;
  skip_space();
  std::vector<std::string> values;
  if (i < n && text[i] == ']') {
    ++i;
  } else {
    while (true) {
      if (i == n || text[i] != '"') return std::nullopt;
      const size_t start = ++i;
      while (i < n) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"') break;
        if (c < 0x20 || c >= 0x7f || c == '\\') return std::nullopt;
        ++i;
      }
      if (i == n) return std::nullopt;
      values.emplace_back(text.substr(start, i - start));
      ++i;  // the closing quote
      skip_space();
      if (i == n) return std::nullopt;
      if (text[i] == ']') {
        ++i;
        break;
      }
      if (text[i] != ',') return std::nullopt;
      ++i;
      skip_space();
    }
  }
  skip_space();
  if (i != n) return std::nullopt;
  return values;
}

}  // namespace

std::string ToJsonList(const std::vector<std::string>& values) {
  // Invalid UTF-8 is replaced rather than thrown on; the services validate text upstream.
  return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StatusOr<std::vector<std::string>> FromJsonList(std::string_view text) {
  if (std::optional<std::vector<std::string>> plain = ParsePlainList(text)) {
    return std::move(*plain);
  }
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Internal("stored list is not a JSON array");
  std::vector<std::string> values;
  values.reserve(parsed.size());
  for (const nlohmann::json& item : parsed) {
    if (!item.is_string()) return Internal("stored list holds a non-string");
    values.push_back(item.get<std::string>());
  }
  return values;
}

}  // namespace countersign
