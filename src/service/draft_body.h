// The parameters a draft keeps (Draft::body_json), written as the API takes them: the prepare
// page's edits applied to them, and the parameters of a sent request for edit_and_resend. The
// result is read back through DraftBodyReader like any client's body, except that a signer's
// PIN is kept only hashed, as "pin_hash" (SealSignerPins, TakeSealedPins). Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "model/signature_request_records.h"
#include "service/draft_service.h"

namespace countersign {

// Replaces the parameters DraftEdit names in `body` (signature_request/send's, or
// send_with_template's when `from_template`: signers with their role, ccs by role). A signer
// whose email address was in `body` before keeps the PIN it had there (the prepare page does
// not show PINs, so its edits must not drop them).
void ApplyDraftEdit(nlohmann::json& body, const DraftEdit& edit, bool from_template);

// Replaces each signer's "pin" in `body` by "pin_hash", its HashPin, so that a stored draft
// holds no PIN in the clear. Call it once the body was checked: the PIN's own rules apply to
// its clear text.
Status SealSignerPins(nlohmann::json& body);

// Removes the "pin_hash" of each signer in a client's `body`: only SealSignerPins writes one.
void DropSealedPins(nlohmann::json& body);

// Takes the "pin_hash" of each signer out of a stored `body` (for the API's parser, which does
// not know it) and returns them by signer, "" where there is none.
std::vector<std::string> TakeSealedPins(nlohmann::json& body);

// signature_request/send's parameters that make a request like `r` again: signers (with their
// order), CCs, title, subject, message, metadata, options, form fields, groups and rules. Its
// documents are the request's files (not in the body).
nlohmann::json DraftBodyOfRequest(const SignatureRequest& r);

}  // namespace countersign
