// FormTarget: where a form posts and what page stands around it, for the two forms a person
// reaches both on this site and inside hellosign-embedded's frame: the signing form
// (web/sign_form) and a draft's prepare form (web/draft_form).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/renderer.h"

namespace countersign::web {

struct FormTarget {
  std::string action;  // the form's action
  // Hidden inputs the POST carries (e.g. the frame parameters, a link secret).
  std::vector<std::pair<std::string, std::string>> hidden;
  // In another site's frame: bare layout, framable by `parent_origin` only, /static/embedded.js
  // speaking to it (hellosign-embedded's protocol), asking it to verify its domain when `verify`.
  // Otherwise the session's CSRF token goes with the form.
  bool embedded = false;
  std::string parent_origin;
  bool verify = false;
  std::string extra_css;  // appended to the page's nonce'd style (white labeling)
};

// Shows `target` on `out`: ACTION and a HIDDEN section per hidden input; for an embedded target
// the bare layout, framing by the parent and the EMBEDDED section (PARENT_ORIGIN, VERIFY), which
// it returns for the page's own values; otherwise the CSRF section, and null.
ctemplate::TemplateDictionary* ShowFormTarget(PageContext& page, Page& out,
                                              const FormTarget& target);

}  // namespace countersign::web
