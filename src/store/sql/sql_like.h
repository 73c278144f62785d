// LIKE patterns for text searches, the same on SQLite and PostgreSQL: the pattern goes in as a
// parameter and the query says `LIKE ?n ESCAPE '\'` (with lower() on both sides to ignore case:
// SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
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

}  // namespace countersign
