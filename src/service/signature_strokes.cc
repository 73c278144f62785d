#include "service/signature_strokes.h"

#include <nlohmann/json.hpp>

namespace countersign {

bool ValidStrokes(std::string_view text) {
  if (text.size() > 512 * 1024) return false;
  auto strokes = nlohmann::json::parse(text, nullptr, false);
  if (!strokes.is_array() || strokes.empty() || strokes.size() > 200) return false;
  for (const auto& stroke : strokes) {
    if (!stroke.is_array() || stroke.empty() || stroke.size() > 2000) return false;
    for (const auto& point : stroke) {
      if (!point.is_array() || point.size() != 2) return false;
      for (const auto& v : point) {
        if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) return false;
      }
    }
  }
  return true;
}

}  // namespace countersign
