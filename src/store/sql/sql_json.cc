#include "store/sql/sql_json.h"

#include <nlohmann/json.hpp>

namespace countersign {

std::string ToJsonList(const std::vector<std::string>& values) {
  // Invalid UTF-8 is replaced rather than thrown on; the services validate text upstream.
  return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StatusOr<std::vector<std::string>> FromJsonList(std::string_view text) {
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
