// The embedded signing page (issue 14): the signing form inside the app's own page, opened by
// hellosign-embedded with a sign_url (`/editor/embeddedSign?signature_id=…&token=…` plus the
// frame parameters the library appends: client_id, parent_url, skip_domain_verification, …).
// Every response is framable only by the parent's origin, as EmbeddedSigning::CheckFrame
// allows it; the page script (/static/embedded.js) speaks hellosign-embedded's postMessage
// protocol to that origin only. Opening spends the sign_url and gives the page the signer's
// fresh link secret, which the page images and the POST carry (the POST's CSRF protection: a
// cross-site frame gets no session cookie). An error the parent can be told about (a
// parent_url that names an origin) is a framed page that posts `hellosign:error`, never a
// blank frame.
#include <optional>

#include "web/ctemplate_headers.h"
#include "web/embedded_page.h"
#include "web/form_refusal.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/sign_form.h"
#include "web/white_labeling.h"

namespace countersign::web {
namespace {

constexpr char kPath[] = "/editor/embeddedSign";

// The frame parameters and the signature the page is for.
struct FrameParams : EmbeddedFrameParams {
  std::string signature_id;
};

FrameParams ParamsOf(const PageContext& page) {
  FrameParams params{FrameParamsOf(page), ""};
  params.signature_id =
      page.request().method == "POST" ? page.Form("signature_id") : page.Query("signature_id");
  return params;
}

http::Response EmbeddedError(PageContext& page, const FrameParams& params, const Status& status,
                             const std::string& denied_code = "domain_not_allowed") {
  return EmbeddedErrorPage(page, params.parent_url, params.signature_id, status, denied_code);
}

// The form for the signer whose link secret is `token`, in the frame of `frame`.
http::Response EmbeddedForm(PageContext& page, const FrameParams& params,
                            const EmbeddedFrame& frame, const SignerSession& session,
                            const std::string& token, int http_status, const std::string& error) {
  FormTarget target;
  target.action = kPath;
  target.hidden = params.Hidden();
  target.hidden.emplace_back("signature_id", params.signature_id);
  target.embedded = true;
  target.parent_origin = frame.parent_origin;
  target.verify = !params.skip_domain_verification;
  target.extra_css = WhiteLabelCss(frame.white_labeling_json);
  return SignForm(page, session, token, http_status, error, target);
}

// The signer's session for `token`, checked as able to act now.
StatusOr<SignerSession> ActingSigner(PageContext& page, const std::string& signature_id,
                                     const std::string& token) {
  SigningService& signing = *page.web().signing;
  CS_ASSIGN_OR_RETURN(SignerSession session, signing.Open(signature_id, token));
  CS_RETURN_IF_ERROR(signing.CheckCanAct(session));
  return session;
}

http::Response ShowEmbedded(PageContext& page) {
  const FrameParams params = ParamsOf(page);
  EmbeddedSigning& embedded = *page.web().embedded;
  StatusOr<EmbeddedFrame> frame = embedded.CheckFrame(
      params.signature_id, params.client_id, params.parent_url, params.skip_domain_verification);
  if (!frame.ok()) return EmbeddedError(page, params, frame.status());
  StatusOr<std::string> token = embedded.Redeem(params.signature_id, page.Query("token"));
  if (!token.ok()) return EmbeddedError(page, params, token.status());
  StatusOr<SignerSession> session = ActingSigner(page, params.signature_id, *token);
  if (!session.ok()) return EmbeddedError(page, params, session.status(), "not_your_turn");
  if (Status st = page.web().signing->RecordView(*session, page.request().remote_ip,
                                                 UserAgent(page.request()));
      !st.ok()) {
    return EmbeddedError(page, params, st);
  }
  return EmbeddedForm(page, params, *frame, *session, *token, 200, "");
}

http::Response SubmitEmbedded(PageContext& page) {
  const FrameParams params = ParamsOf(page);
  StatusOr<EmbeddedFrame> frame = page.web().embedded->CheckFrame(
      params.signature_id, params.client_id, params.parent_url, params.skip_domain_verification);
  if (!frame.ok()) return EmbeddedError(page, params, frame.status());
  const std::string token = page.Form("t");
  StatusOr<SignerSession> session = ActingSigner(page, params.signature_id, token);
  if (!session.ok()) return EmbeddedError(page, params, session.status(), "not_your_turn");
  StatusOr<std::string> done = ActOnForm(page, *session, /*pin_pass=*/"");
  if (!done.ok()) {
    const std::optional<FormRefusal> refusal = FormRefusalOf(done.status());
    if (!refusal) return EmbeddedError(page, params, done.status());
    // The message alone, as on the signing page.
    return EmbeddedForm(page, params, *frame, *session, token, refusal->http_status,
                        done.status().message());
  }
  EmbeddedStatus view;
  if (*done == "sign") {
    view = {200, "signed", "", "Thank you", "Your signature has been recorded.", "", ""};
  } else {
    view = {200,
            "declined",
            "",
            "You declined",
            "You declined to sign. The sender has been told.",
            page.Form("reason"),
            ""};
  }
  return EmbeddedStatusPage(page, frame->parent_origin, params.signature_id, view,
                            WhiteLabelCss(frame->white_labeling_json));
}

}  // namespace

void RegisterEmbeddedSignPages(http::Router& router, WebContext& web) {
  if (web.signing == nullptr || web.embedded == nullptr) return;
  router.Add("GET", kPath, WrapSecretLinkPage(web, ShowEmbedded));
  // Signing checks the strokes and fields; like the mailed link's POST, off the HTTP threads.
  router.Add("POST", kPath, WrapSecretLinkPage(web, SubmitEmbedded), http::Lane::kCompute);
  router.Add("GET", "/static/embedded.js",
             StaticText("text/javascript; charset=utf-8", EmbeddedScript()));
}

}  // namespace countersign::web
