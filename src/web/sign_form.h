// The signing form and what its POST does, shared by the two ways a signer reaches it: the
// mailed link (/sign/<signature_id>, signing_pages.cc) and the embedded frame
// (/editor/embeddedSign, embedded_sign_pages.cc).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "http/message.h"
#include "service/signing_service.h"
#include "web/page_context.h"

namespace countersign::web {

// Where the form posts and what the page around it is.
struct SignFormTarget {
  std::string action;  // the form's action
  // Hidden inputs the POST carries besides the link secret `t` (e.g. the frame parameters).
  std::vector<std::pair<std::string, std::string>> hidden;
  // In another site's frame: bare layout, /static/embedded.js speaking to `parent_origin`
  // (hellosign-embedded's protocol), asking the parent to verify its domain when `verify`.
  bool embedded = false;
  std::string parent_origin;
  bool verify = false;
  std::string extra_css;  // appended to the page's nonce'd style (white labeling)
};

// The signing form for `session` (whose link secret is `token`), with `error` (may be empty)
// shown above it, answered with `http_status`.
http::Response SignForm(PageContext& page, const SignerSession& session, const std::string& token,
                        int http_status, const std::string& error, const SignFormTarget& target);

// Signs or declines as the POSTed form says (action, kind, typed_name, strokes, esign_consent,
// the field values, reason), with the signer's PIN pass (may be empty). Returns the action
// done, "sign" or "decline". kInvalidArgument / kPermissionDenied carry a message to show
// above the form again; other errors are for the error page.
StatusOr<std::string> ActOnForm(PageContext& page, const SignerSession& session,
                                const std::string& pin_pass);

}  // namespace countersign::web
