// EmbeddedSigning: the sign_urls of embedded requests (issue 14, CONTRACT.md §6). The sender
// (its API key, or a token of the request's app) asks for a sign_url per signer:
// `<base>/editor/embeddedSign?signature_id=…&token=…`, usable once, for kSignUrlSeconds. The
// host page opens it with hellosign-embedded, which adds the frame parameters; the first
// opening spends the token and hands the page a fresh signing-link secret (the signer's
// access hash), with which the page, its images and the sign/decline POST then work exactly as
// a mailed link's (SigningService::Open). Only the SHA-256 of either secret is stored.
// Thread-safe.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/public_url.h"
#include "core/status.h"
#include "service/signature_request_service.h"
#include "store/app_store.h"
#include "store/signature_request_store.h"

namespace countersign {

struct EmbeddedSignUrl {
  std::string sign_url;
  int64_t expires_at = 0;
};

// What the embedded page may do in a frame: the origin that frames it and which it talks
// to, and the app's white_labeling_options (JSON object text, or empty).
struct EmbeddedFrame {
  std::string parent_origin;
  std::string white_labeling_json;
};

class EmbeddedSigning {
 public:
  static constexpr int64_t kSignUrlSeconds = 3600;

  EmbeddedSigning(SignatureRequestStore& store, AppStore& apps, const Clock& clock,
                  const PublicUrl& public_url);

  // A fresh sign_url for `signature_id`. kNotFound unless `viewer` sent the request (with its
  // API key, or a token of the app the request belongs to or was created by); kInvalidArgument
  // (path "signature_id") for a request not created with create_embedded; kGone when canceled,
  // declined or expired; kConflict when the signer already signed or it is not their turn.
  StatusOr<EmbeddedSignUrl> SignUrl(const RequestViewer& viewer, const std::string& signature_id);

  // Checks the frame parameters hellosign-embedded appended: `client_id` must be the request's
  // app, and the page may be framed by `parent_url` (AllowedParentOrigin). kNotFound for an
  // unknown signature or a request that is not embedded; kInvalidArgument (path "client_id")
  // for another app; AllowedParentOrigin's errors.
  StatusOr<EmbeddedFrame> CheckFrame(const std::string& signature_id, const std::string& client_id,
                                     const std::string& parent_url, bool skip_domain_verification);

  // Spends the sign_url `token` of `signature_id` and returns the signer's new link secret.
  // kNotFound when the token is unknown, used or expired (one message for all three).
  StatusOr<std::string> Redeem(const std::string& signature_id, const std::string& token);

 private:
  // The embedded request holding `signature_id`; kNotFound when none.
  StatusOr<SignatureRequest> RequestOf(const std::string& signature_id);

  SignatureRequestStore& store_;
  AppStore& apps_;
  const Clock& clock_;
  const PublicUrl& public_url_;
};

}  // namespace countersign
