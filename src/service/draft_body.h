// The parameters a draft keeps (Draft::body_json), written as the API takes them: the prepare
// page's edits applied to them, and the parameters of a sent request for edit_and_resend. The
// result is read back through DraftBodyReader like any client's body. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "model/signature_request_records.h"
#include "service/draft_service.h"

namespace countersign {

// Replaces the parameters DraftEdit names in `body` (signature_request/send's, or
// send_with_template's when `from_template`: signers with their role, ccs by role).
void ApplyDraftEdit(nlohmann::json& body, const DraftEdit& edit, bool from_template);

// signature_request/send's parameters that make a request like `r` again: signers (with their
// order), CCs, title, subject, message, metadata, options, form fields, groups and rules. Its
// documents are the request's files (not in the body).
nlohmann::json DraftBodyOfRequest(const SignatureRequest& r);

}  // namespace countersign
