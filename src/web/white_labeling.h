// The app's white_labeling_options (API app settings) as CSS for the pages signers see in the
// app's frame: page and header backgrounds, text and link colours, primary and secondary
// buttons. Only "#rrggbb" values are used (anything else is left out, so nothing the app
// stored can break out of the declaration). Pure; thread-safe.
#pragma once

#include <string>

namespace countersign::web {

// CSS rules for `white_labeling_json` (a JSON object text, or empty: no rules).
std::string WhiteLabelCss(const std::string& white_labeling_json);

}  // namespace countersign::web
