#include "service/signing_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/ids.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/request_events.h"
#include "service/request_expiry.h"
#include "service/send_validation.h"
#include "service/signature_strokes.h"
#include "service/signer_mail.h"
#include "service/text_validation.h"
#include "service/validation.h"

namespace countersign {

SigningService::SigningService(SignatureRequestStore& store, const Clock& clock)
    : store_(store), clock_(clock) {}

StatusOr<SignerSession> SigningService::Open(const std::string& signature_id,
                                             const std::string& token) {
  static const char kBadLink[] =
      "This signing link is not valid. Use the link in the most "
      "recent email you received.";
  if (signature_id.empty() || token.empty()) return NotFound(kBadLink);
  auto request_id = store_.FindRequestIdBySignature(signature_id);
  if (!request_id.ok()) {
    return request_id.status().code() == Code::kNotFound ? NotFound(kBadLink) : request_id.status();
  }
  CS_ASSIGN_OR_RETURN(SignatureRequest r, store_.Get(*request_id));
  auto it = std::find_if(r.signatures.begin(), r.signatures.end(),
                         [&](const Signature& s) { return s.signature_id == signature_id; });
  if (it == r.signatures.end() || it->access_hash.empty() ||
      !ConstantTimeEquals(it->access_hash, Sha256Hex(token))) {
    return NotFound(kBadLink);
  }
  if (r.canceled_at != 0) {
    return Status(Code::kGone, "The sender canceled this signature request.");
  }
  if (r.is_declined && it->status_code != "declined") {
    return Status(Code::kGone, "This signature request was declined by a signer.");
  }
  if (HasExpired(r, clock_.NowSeconds())) {
    return Status(Code::kGone, "This signature request has expired.", "expires_at");
  }
  SignerSession session;
  session.index = static_cast<size_t>(it - r.signatures.begin());
  session.request = std::move(r);
  return session;
}

Status SigningService::CheckCanAct(const SignerSession& session) const {
  const Signature& s = session.signer();
  if (s.status_code == "signed") return Conflict("You have already signed this document.");
  if (s.status_code == "declined") return Conflict("You declined to sign this document.");
  std::vector<size_t> turn = SignersWhoseTurnItIs(session.request);
  if (std::find(turn.begin(), turn.end(), session.index) == turn.end()) {
    return PermissionDenied(
        "It is not your turn to sign yet: you will get an email when the "
        "signers before you have signed.");
  }
  return Status::Ok();
}

StatusOr<std::pair<std::string, std::string>> SigningService::LinkForAccount(
    const SignatureRequest& request, const std::string& email) {
  auto it =
      std::find_if(request.signatures.begin(), request.signatures.end(), [&](const Signature& s) {
        return s.email == email && s.status_code == "awaiting_signature";
      });
  if (it == request.signatures.end()) return NotFound("You have nothing to sign here.");
  if (request.embedded) {
    return PermissionDenied("This request is signed in the app that sent it.");
  }
  if (request.canceled_at != 0 || request.is_declined || request.is_complete ||
      HasExpired(request, clock_.NowSeconds())) {
    return Status(Code::kGone, "This signature request is closed.");
  }
  SignerSession session;
  session.request = request;
  session.index = static_cast<size_t>(it - request.signatures.begin());
  CS_RETURN_IF_ERROR(CheckCanAct(session));
  const std::string secret = RandomHex(16);
  CS_RETURN_IF_ERROR(store_.SetAccessHash(it->signature_id, Sha256Hex(secret)));
  return std::make_pair(it->signature_id, secret);
}

Status SigningService::RecordView(const SignerSession& session, const std::string& ip,
                                  const std::string& user_agent) {
  const int64_t now = clock_.NowSeconds();
  const Signature& s = session.signer();
  AuditEntry audit{now, "viewed", s.email, ip, user_agent};
  return store_.RecordView(
      session.request.id, s.signature_id, now, audit,
      RequestEvent(session.request, "signature_request_viewed", now, s.signature_id));
}

bool SigningService::KindAllowed(const SignatureRequest& r, const std::string& kind) {
  if (kind != "typed" && kind != "drawn") return false;
  if (r.signing_options_json.empty()) return true;
  auto options = nlohmann::json::parse(r.signing_options_json, nullptr, false);
  if (!options.is_object()) return true;
  return SigningOptionsAllow(options, kind == "typed" ? "type" : "draw");
}

Status SigningService::CheckPinPass(const SignerSession& session, const std::string& pass) {
  static const char kNeedPin[] = "Enter your PIN to open this document.";
  if (!NeedsPin(session)) return Status::Ok();
  if (pass.empty()) return Unauthenticated(kNeedPin);
  CS_ASSIGN_OR_RETURN(PinState state, store_.GetPinState(session.signer().signature_id));
  if (state.pass_hash.empty() || !ConstantTimeEquals(state.pass_hash, Sha256Hex(pass))) {
    return Unauthenticated(kNeedPin);
  }
  return Status::Ok();
}

StatusOr<std::string> SigningService::VerifyPin(const SignerSession& session,
                                                const std::string& pin) {
  if (!NeedsPin(session)) return InvalidArgument("This document has no PIN.", "pin");
  const std::string& signature_id = session.signer().signature_id;
  const int64_t now = clock_.NowSeconds();
  auto locked = [now](int64_t until) {
    int64_t minutes = std::max<int64_t>(1, (until - now + 59) / 60);
    return Status(Code::kResourceExhausted,
                  "Too many wrong PINs. Try again in " + std::to_string(minutes) +
                      (minutes == 1 ? " minute." : " minutes."),
                  "pin");
  };
  CS_ASSIGN_OR_RETURN(PinState state, store_.GetPinState(signature_id));
  if (state.locked_until > now) return locked(state.locked_until);
  if (pin.empty()) return InvalidArgument("Enter the PIN the sender gave you.", "pin");
  if (pin.size() > 64 || !VerifyPassword(pin, session.signer().pin_hash)) {
    CS_ASSIGN_OR_RETURN(
        state, store_.RecordPinFailure(signature_id, now, kMaxPinFailures, kPinLockSeconds));
    if (state.locked_until > now) return locked(state.locked_until);
    int left = kMaxPinFailures - state.failures;
    return InvalidArgument("That PIN is not right. " + std::to_string(left) +
                               (left == 1 ? " try" : " tries") + " left before a " +
                               std::to_string(kPinLockSeconds / 60) + "-minute lock.",
                           "pin");
  }
  // Wrong guesses racing this one may have locked the signer meanwhile: the lock wins.
  CS_ASSIGN_OR_RETURN(state, store_.GetPinState(signature_id));
  if (state.locked_until > now) return locked(state.locked_until);
  std::string pass = RandomHex(16);
  CS_RETURN_IF_ERROR(store_.RecordPinSuccess(signature_id, Sha256Hex(pass)));
  return pass;
}

Status SigningService::Sign(const SignerSession& session, const SignatureInput& input,
                            const std::string& ip, const std::string& user_agent) {
  CS_RETURN_IF_ERROR(CheckPinPass(session, input.pin_pass));
  CS_RETURN_IF_ERROR(CheckCanAct(session));
  if (!KindAllowed(session.request, input.kind)) {
    return InvalidArgument("This kind of signature is not allowed for this document.", "signature");
  }
  if (!input.esign_consent) {
    return InvalidArgument(
        "Agree to use electronic records and signatures to sign this document electronically.",
        "esign_consent");
  }
  Signature signed_signer = session.signer();
  if (input.kind == "typed") {
    std::string name = Trim(input.typed_name);
    if (name.empty() || CharacterCount(name) > kMaxTypedName) {
      return InvalidArgument("Type your name (at most 100 characters) to sign.", "signature");
    }
    CS_RETURN_IF_ERROR(CheckPlainText(name, "signature"));
    signed_signer.signature_data = name;
  } else {
    if (!ValidStrokes(input.strokes_json)) {
      return InvalidArgument("Draw your signature in the box to sign.", "signature");
    }
    signed_signer.signature_data = input.strokes_json;
  }
  const std::vector<FormField> fields = FieldsOf(session.request);
  const int index = static_cast<int>(session.index);
  CS_ASSIGN_OR_RETURN(signed_signer.field_values_json,
                      CheckSignerValues(fields, index, input.fields, GroupsOf(session.request),
                                        RulesOf(session.request)));
  const int64_t now = clock_.NowSeconds();
  signed_signer.signature_kind = input.kind;
  signed_signer.signed_at = now;
  signed_signer.signer_ip = ip;
  signed_signer.signer_user_agent = user_agent;
  std::vector<AuditEntry> audit;
  if (std::string filled = FilledFieldsAuditText(fields, index); !filled.empty()) {
    audit.push_back({now, std::move(filled), signed_signer.email, ip, user_agent});
  }
  audit.push_back({now,
                   std::string("signed, having agreed to sign electronically (disclosure ") +
                       kEsignDisclosureVersion + ")",
                   signed_signer.email, ip, user_agent});
  Status st = store_.Sign(
      session.request.id, signed_signer, audit,
      RequestEvent(session.request, "signature_request_signed", now, signed_signer.signature_id));
  if (st.code() == Code::kConflict) {
    return Conflict("This document can no longer be signed with this link.");
  }
  return st;
}

Status SigningService::Decline(const SignerSession& session, const std::string& reason_in,
                               const std::string& ip, const std::string& user_agent,
                               const std::string& pin_pass) {
  CS_RETURN_IF_ERROR(CheckPinPass(session, pin_pass));
  if (!session.request.allow_decline) {
    return PermissionDenied("The sender does not allow declining this document.");
  }
  CS_RETURN_IF_ERROR(CheckCanAct(session));
  std::string reason = Trim(reason_in);
  if (reason.size() > 500) return InvalidArgument("The reason is too long.", "reason");
  const int64_t now = clock_.NowSeconds();
  Signature signer = session.signer();
  signer.signer_ip = ip;
  signer.signer_user_agent = user_agent;
  AuditEntry audit{now, "declined", signer.email, ip, user_agent};
  Status st = store_.Decline(session.request.id, signer, reason, audit,
                             RequestEvent(session.request, "signature_request_declined", now,
                                          signer.signature_id, reason));
  if (st.code() == Code::kConflict) {
    return Conflict("This document can no longer be declined with this link.");
  }
  return st;
}

}  // namespace countersign
