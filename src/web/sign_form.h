// The signing form and what its POST does, shared by the two ways a signer reaches it: the
// mailed link (/sign/<signature_id>, signing_pages.cc) and the embedded frame
// (/editor/embeddedSign, embedded_sign_pages.cc).
#pragma once

#include <string>

#include "http/message.h"
#include "service/signing_service.h"
#include "web/form_target.h"
#include "web/page_context.h"

namespace countersign::web {

// The signing form for `session` (whose link secret is `token`, posted as `t` besides the
// target's hidden inputs), with `error` (may be empty) shown above it, answered with
// `http_status`.
http::Response SignForm(PageContext& page, const SignerSession& session, const std::string& token,
                        int http_status, const std::string& error, const FormTarget& target);

// Signs or declines as the POSTed form says (action, kind, typed_name, strokes, esign_consent,
// the field values, reason), with the signer's PIN pass (may be empty). Returns the action
// done, "sign" or "decline". kInvalidArgument / kPermissionDenied carry a message to show
// above the form again; other errors are for the error page.
StatusOr<std::string> ActOnForm(PageContext& page, const SignerSession& session,
                                const std::string& pin_pass);

}  // namespace countersign::web
