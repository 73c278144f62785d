// Lists of strings (domains, scopes) stored as JSON array text. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace countersign {

// ["a","b"] for {"a", "b"}.
std::string ToJsonList(const std::vector<std::string>& values);

// The strings of a JSON array. kInternal when `text` is not an array of strings (a corrupt
// row); never throws.
StatusOr<std::vector<std::string>> FromJsonList(std::string_view text);

}  // namespace countersign
