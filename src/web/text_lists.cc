#include "web/text_lists.h"

namespace countersign::web {

std::vector<std::string> SplitTrimmed(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = text.find_first_of(separators, at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view piece = text.substr(at, end - at);
    const size_t begin = piece.find_first_not_of(" \t\r");
    if (begin != std::string_view::npos) {
      const size_t last = piece.find_last_not_of(" \t\r");
      out.emplace_back(piece.substr(begin, last - begin + 1));
    }
    at = end + 1;
  }
  return out;
}

std::string JoinedList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace countersign::web
