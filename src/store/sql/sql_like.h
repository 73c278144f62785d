// LIKE for text searches, the same on SQLite and PostgreSQL: the pattern (LikeContains) goes in
// as a parameter, and the query says `LIKE ?n ESCAPE '\'` (LikeIgnoringCase, or by hand where
// case matters to the caller).
#pragma once

#include <string>
#include <string_view>

namespace countersign {

// A LIKE pattern matching `term` anywhere, with LIKE's wildcards (%, _) and the escape
// character in `term` escaped.
inline std::string LikeContains(std::string_view term) {
  std::string out = "%";
  for (char c : term) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// SQL: `column` matches the LIKE pattern in parameter `param` ("?3"), ignoring case: lower() on
// both sides, the same on SQLite, whose LIKE ignores ASCII case, and PostgreSQL, whose LIKE
// does not.
inline std::string LikeIgnoringCase(std::string_view column, std::string_view param) {
  return "lower(" + std::string(column) + ") LIKE lower(" + std::string(param) + ") ESCAPE '\\'";
}

}  // namespace countersign
