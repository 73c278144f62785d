#include "service/embedded_signing.h"

#include <algorithm>

#include "core/crypto.h"
#include "service/embedded_frame.h"
#include "service/request_expiry.h"
#include "service/signer_mail.h"

namespace countersign {
namespace {

constexpr char kUnknownSignature[] = "Signature not found.";

}  // namespace

EmbeddedSigning::EmbeddedSigning(SignatureRequestStore& store, AppStore& apps, const Clock& clock,
                                 const PublicUrl& public_url)
    : store_(store), apps_(apps), clock_(clock), public_url_(public_url) {}

StatusOr<SignatureRequest> EmbeddedSigning::RequestOf(const std::string& signature_id) {
  if (signature_id.empty()) return NotFound(kUnknownSignature);
  auto request_id = store_.FindRequestIdBySignature(signature_id);
  if (!request_id.ok()) {
    if (request_id.status().code() == Code::kNotFound) return NotFound(kUnknownSignature);
    return request_id.status();
  }
  return store_.Get(*request_id);
}

StatusOr<EmbeddedSignUrl> EmbeddedSigning::SignUrl(const RequestViewer& viewer,
                                                   const std::string& signature_id) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, RequestOf(signature_id));
  const bool app_may_see = viewer.token_client_id.empty() ||
                           viewer.token_client_id == r.client_id ||
                           viewer.token_client_id == r.created_by_client_id;
  if (r.account_id != viewer.account_id || !app_may_see) return NotFound(kUnknownSignature);
  if (!r.embedded) {
    return InvalidArgument(
        "This signature request was not created with create_embedded: its signers sign through "
        "their email.",
        "signature_id");
  }
  const int64_t now = clock_.NowSeconds();
  if (r.canceled_at != 0) {
    return Status(Code::kGone, "This signature request has been canceled.");
  }
  if (r.is_declined) return Status(Code::kGone, "This signature request was declined.");
  if (HasExpired(r, now)) {
    return Status(Code::kGone, "This signature request has expired.", "expires_at");
  }
  auto it = std::find_if(r.signatures.begin(), r.signatures.end(),
                         [&](const Signature& s) { return s.signature_id == signature_id; });
  if (it->status_code == "signed") return Conflict("This signature has already been signed.");
  std::vector<size_t> turn = SignersWhoseTurnItIs(r);
  const size_t position = static_cast<size_t>(it - r.signatures.begin());
  if (std::find(turn.begin(), turn.end(), position) == turn.end()) {
    return Conflict("It is not this signer's turn yet: the signers before them must sign first.");
  }
  const std::string token = RandomHex(20);
  EmbeddedSignUrl out;
  out.expires_at = now + kSignUrlSeconds;
  CS_RETURN_IF_ERROR(store_.AddSignUrl(signature_id, Sha256Hex(token), out.expires_at, now));
  out.sign_url =
      public_url_.Get() + "/editor/embeddedSign?signature_id=" + signature_id + "&token=" + token;
  return out;
}

StatusOr<EmbeddedFrame> EmbeddedSigning::CheckFrame(const std::string& signature_id,
                                                    const std::string& client_id,
                                                    const std::string& parent_url,
                                                    bool skip_domain_verification) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, RequestOf(signature_id));
  if (!r.embedded) return NotFound(kUnknownSignature);
  if (client_id != r.client_id) {
    return InvalidArgument("client_id is not the app this signature request belongs to",
                           "client_id");
  }
  CS_ASSIGN_OR_RETURN(ApiApp app, apps_.FindByClientId(r.client_id));
  EmbeddedFrame frame;
  CS_ASSIGN_OR_RETURN(frame.parent_origin, AllowedParentOrigin(parent_url, app.domains, r.test_mode,
                                                               skip_domain_verification));
  frame.white_labeling_json = app.white_labeling_json;
  return frame;
}

StatusOr<std::string> EmbeddedSigning::Redeem(const std::string& signature_id,
                                              const std::string& token) {
  static const char kSpent[] =
      "This signing link was already used or has expired. Ask for a new one.";
  if (token.empty()) return NotFound(kSpent);
  const std::string secret = RandomHex(16);
  CS_ASSIGN_OR_RETURN(bool redeemed, store_.RedeemSignUrl(signature_id, Sha256Hex(token),
                                                          clock_.NowSeconds(), Sha256Hex(secret)));
  if (!redeemed) return NotFound(kSpent);
  return secret;
}

}  // namespace countersign
