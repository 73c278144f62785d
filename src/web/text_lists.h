// Lists typed into or shown in form fields: "a, b" for a list shown in a page, and the pieces of a
// textarea or a comma-separated field. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace countersign::web {

// The pieces of `text` between any of `separators`, trimmed of spaces, tabs and CRs, empty
// ones dropped (CC emails; textarea lines with "\n").
std::vector<std::string> SplitTrimmed(std::string_view text, std::string_view separators);

// `items` joined with ", " ("" for none).
std::string JoinedList(const std::vector<std::string>& items);

}  // namespace countersign::web
