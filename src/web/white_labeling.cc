#include "web/white_labeling.h"

#include <nlohmann/json.hpp>
#include <regex>

namespace countersign::web {
namespace {

// Which option colours which property of which selector.
struct Rule {
  const char* option;
  const char* selector;
  const char* property;
};

constexpr Rule kRules[] = {
    {"page_background_color", "body", "background"},
    {"text_color1", "body", "color"},
    {"text_color2", ".help, .who", "color"},
    {"link_color", "a", "color"},
    {"header_background_color", ".site-header", "background"},
    {"primary_button_color", "button.primary", "background"},
    {"primary_button_color", "button.primary", "border-color"},
    {"primary_button_text_color", "button.primary", "color"},
    {"primary_button_color_hover", "button.primary:hover", "background"},
    {"primary_button_text_color_hover", "button.primary:hover", "color"},
    {"secondary_button_color", "button.secondary", "background"},
    {"secondary_button_text_color", "button.secondary", "color"},
    {"secondary_button_color_hover", "button.secondary:hover", "background"},
    {"secondary_button_text_color_hover", "button.secondary:hover", "color"},
};

}  // namespace

std::string WhiteLabelCss(const std::string& white_labeling_json) {
  if (white_labeling_json.empty()) return "";
  const nlohmann::json options = nlohmann::json::parse(white_labeling_json, nullptr, false);
  if (!options.is_object()) return "";
  static const std::regex kColour("#[0-9a-fA-F]{6}");
  std::string css;
  for (const Rule& rule : kRules) {
    auto it = options.find(rule.option);
    if (it == options.end() || !it->is_string()) continue;
    const std::string& value = it->get_ref<const std::string&>();
    if (!std::regex_match(value, kColour)) continue;
    css.append("\n").append(rule.selector).append(" { ").append(rule.property).append(": ");
    css.append(value).append("; }");
  }
  return css;
}

}  // namespace countersign::web
