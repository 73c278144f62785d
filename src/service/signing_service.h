// SigningService: what a signer does through their emailed link — open the request, view it,
// sign (typed name or drawn strokes, as signing_options allow) or decline (when allow_decline).
// The link is `/sign/<signature_id>?t=<secret>`; only the secret's SHA-256 is stored, and a
// newer mail (reminder, update) replaces it. Signing order is enforced: a signer whose turn has
// not come may not sign. Every step appends to the audit trail and records its event.
// A signer sent with a PIN (signers[n][pin]) must give it first (VerifyPin), which hands out a
// pass kept by the browser; viewing, signing and declining need that pass. kMaxPinFailures
// wrong PINs in a row lock the signer out for kPinLockSeconds (stored, so every instance
// agrees).
// Thread-safe.
#pragma once

#include <string>
#include <utility>

#include "core/clock.h"
#include "core/status.h"
#include "service/field_values.h"
#include "store/signature_request_store.h"

namespace countersign {

// A signer's validated access to their request.
struct SignerSession {
  SignatureRequest request;
  size_t index = 0;  // into request.signatures
  const Signature& signer() const { return request.signatures[index]; }
};

// The longest typed signature, in characters (sign.html's maxlength says the same).
inline constexpr size_t kMaxTypedName = 100;

struct SignatureInput {
  std::string kind;          // "typed" or "drawn"
  std::string typed_name;    // for typed: plain text (CheckPlainText), <= kMaxTypedName characters
  std::string strokes_json;  // for drawn: [[[x,y],...],...] with 0 <= x,y <= 1
  std::string pin_pass;      // from VerifyPin, when the signer has a PIN
  // The signer agreed to use electronic records and signatures (the disclosure of
  // kEsignDisclosureVersion shown on the signing page); required to sign.
  bool esign_consent = false;
  // The values of the signer's form fields as the page posted them (field_values.h).
  SubmittedFields fields;
};

// The version of the electronic-signature disclosure the signing page shows; recorded with each
// signer's agreement in the audit trail (and so on the final PDF's audit page).
inline constexpr char kEsignDisclosureVersion[] = "2026-12";

class SigningService {
 public:
  static constexpr int kMaxPinFailures = 5;
  static constexpr int64_t kPinLockSeconds = 15 * 60;

  SigningService(SignatureRequestStore& store, const Clock& clock);

  // kNotFound for an unknown signature or a wrong/replaced secret (one message for both);
  // kGone when the request was canceled, has expired (path "expires_at") or was declined.
  StatusOr<SignerSession> Open(const std::string& signature_id, const std::string& token);

  // kPermissionDenied when earlier signers have not signed yet; kConflict when this signer
  // already signed or declined.
  Status CheckCanAct(const SignerSession& session) const;

  // Records a view (the first one emits signature_request_viewed).
  Status RecordView(const SignerSession& session, const std::string& ip,
                    const std::string& user_agent);

  // kInvalidArgument (path "signature") for a kind signing_options does not allow, an empty
  // or over-long name, or malformed strokes; (path "esign_consent") without the agreement;
  // CheckSignerValues' errors for the form fields; CheckCanAct's and CheckPinPass's errors.
  // Stores the field values with the signature and audits which fields the signer filled.
  Status Sign(const SignerSession& session, const SignatureInput& input, const std::string& ip,
              const std::string& user_agent);

  // kPermissionDenied when the request does not allow declining; kInvalidArgument (path
  // "reason") for a reason over 500 characters; CheckPinPass's error.
  Status Decline(const SignerSession& session, const std::string& reason, const std::string& ip,
                 const std::string& user_agent, const std::string& pin_pass);

  // Whether the signer was sent with a PIN.
  static bool NeedsPin(const SignerSession& session) { return !session.signer().pin_hash.empty(); }

  // Ok when the signer needs no PIN or `pass` is the pass of their latest right PIN;
  // kUnauthenticated otherwise.
  Status CheckPinPass(const SignerSession& session, const std::string& pass);

  // Checks the signer's PIN; returns a new pass (a 128-bit secret; only its hash is stored) for
  // the right one. kInvalidArgument (path "pin") for a wrong PIN, saying how many tries are
  // left; kResourceExhausted while locked out (also for the wrong PIN that causes the lock).
  // A signer without a PIN gets kInvalidArgument.
  StatusOr<std::string> VerifyPin(const SignerSession& session, const std::string& pin);

  // "Sign now" in the web app (issue 15): for the logged-in account with `email`, whose
  // signature in `request` awaits signing and whose turn it is, a fresh link secret for that
  // signature (the emailed link stops working, as after a reminder). Returns the signature id
  // and the secret. kNotFound when the account is not an awaiting signer; kPermissionDenied
  // when it is not their turn yet or the request is embedded (signed in its app); kGone when
  // the request is closed.
  StatusOr<std::pair<std::string, std::string>> LinkForAccount(const SignatureRequest& request,
                                                               const std::string& email);

  // Whether signing_options allow this kind ("typed"/"drawn"). No options: both.
  static bool KindAllowed(const SignatureRequest& request, const std::string& kind);

 private:
  SignatureRequestStore& store_;
  const Clock& clock_;
};

}  // namespace countersign
