// The embedded draft page (issue 15): an embedded unclaimed draft's prepare page inside the
// app's own page, opened by hellosign-embedded with the claim_url
// (`/prep-and-send/embedded-request?token=…` plus client_id, parent_url,
// skip_domain_verification, …). Opening spends the token (DraftService::OpenEmbedded, which
// checks the frame as the embedded signing page does) and gives the page a secret that its
// images and POST carry instead of a session (a cross-site frame gets no SameSite cookie).
// Sending ends on a status page whose script posts hellosign:userSendRequest, so the host's
// "send" event fires. Every response is framable only by the parent's origin.
#include "service/embedded_frame.h"
#include "web/draft_form.h"
#include "web/embedded_page.h"
#include "web/form_refusal.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/signing_pages.h"

namespace countersign::web {
namespace {

constexpr char kPath[] = "/prep-and-send/embedded-request";

DraftFormTarget TargetOf(const EmbeddedFrameParams& params, const std::string& parent_origin,
                         const std::string& draft_id, const std::string& secret) {
  DraftFormTarget target;
  target.action = kPath;
  target.hidden = params.Hidden();
  target.hidden.emplace_back("draft_id", draft_id);
  target.hidden.emplace_back("s", secret);
  target.image_prefix = std::string(kPath) + "/" + draft_id + "/page/";
  target.image_suffix = "?s=" + secret;
  target.embedded = true;
  target.parent_origin = parent_origin;
  target.verify = !params.skip_domain_verification;
  return target;
}

// The draft as the opened page `secret` may act on it, with the viewer it acts as.
StatusOr<std::pair<RequestViewer, DraftView>> Opened(PageContext& page, const std::string& draft_id,
                                                     const std::string& secret) {
  DraftService& drafts = *page.web().drafts;
  CS_ASSIGN_OR_RETURN(RequestViewer viewer, drafts.EmbeddedActor(draft_id, secret));
  viewer.ip = page.request().remote_ip;
  viewer.user_agent = UserAgent(page.request());
  CS_ASSIGN_OR_RETURN(DraftView view, drafts.Get(viewer, draft_id));
  return std::make_pair(std::move(viewer), std::move(view));
}

http::Response ShowEmbeddedDraft(PageContext& page) {
  const EmbeddedFrameParams params = FrameParamsOf(page);
  StatusOr<EmbeddedDraftPage> opened = page.web().drafts->OpenEmbedded(
      page.Query("token"), params.client_id, params.parent_url, params.skip_domain_verification);
  if (!opened.ok()) return EmbeddedErrorPage(page, params.parent_url, "", opened.status());
  StatusOr<std::string> origin = WebOriginOf(params.parent_url);
  if (!origin.ok()) return EmbeddedErrorPage(page, params.parent_url, "", origin.status());
  auto acting = Opened(page, opened->draft.id, opened->page_secret);
  if (!acting.ok()) return EmbeddedErrorPage(page, params.parent_url, "", acting.status());
  return DraftForm(page, acting->second,
                   TargetOf(params, *origin, opened->draft.id, opened->page_secret), 200, "", "",
                   false);
}

http::Response SubmitEmbeddedDraft(PageContext& page) {
  const EmbeddedFrameParams params = FrameParamsOf(page);
  StatusOr<std::string> origin = WebOriginOf(params.parent_url);
  if (!origin.ok()) return EmbeddedErrorPage(page, params.parent_url, "", origin.status());
  const std::string draft_id = page.Form("draft_id");
  const std::string secret = page.Form("s");
  auto acting = Opened(page, draft_id, secret);
  if (!acting.ok()) return EmbeddedErrorPage(page, params.parent_url, "", acting.status());
  // Only after the secret: the answer may be framed by the posted parent_url's origin.
  if (Status frame = page.web().drafts->CheckEmbeddedFrame(
          draft_id, params.client_id, params.parent_url, params.skip_domain_verification);
      !frame.ok()) {
    return EmbeddedErrorPage(page, params.parent_url, "", frame);
  }
  SignatureRequest sent;
  StatusOr<std::string> done = ActOnDraftForm(page, acting->first, draft_id, &sent);
  const DraftFormTarget target = TargetOf(params, *origin, draft_id, secret);
  if (!done.ok()) {
    const std::optional<FormRefusal> refused = FormRefusalOf(done.status());
    if (!refused) return EmbeddedErrorPage(page, params.parent_url, "", done.status());
    return DraftForm(page, acting->second, target, refused->http_status, "",
                     "Not sent: " + refused->message, true);
  }
  if (*done == "save") {
    auto saved = Opened(page, draft_id, secret);
    if (!saved.ok()) return EmbeddedErrorPage(page, params.parent_url, "", saved.status());
    return DraftForm(page, saved->second, target, 200, "Saved.", "", false);
  }
  EmbeddedStatus view;
  view.state = "sent";
  view.heading = "Sent";
  view.message = "The signature request has been sent.";
  view.signature_request_id = sent.id;
  const std::string first_signature =
      sent.signatures.empty() ? "" : sent.signatures.front().signature_id;
  return EmbeddedStatusPage(page, *origin, first_signature, view, "");
}

http::Response EmbeddedDraftPageImage(PageContext& page) {
  auto acting = Opened(page, page.Param("id"), page.Query("s"));
  if (!acting.ok()) return page.Error(acting.status());
  return DocumentPageImage(page.web(), acting->second.draft.files,
                           page.request().PathParam("file_index"),
                           page.request().PathParam("page"));
}

}  // namespace

void RegisterEmbeddedDraftPages(http::Router& router, WebContext& web) {
  if (web.drafts == nullptr || web.blobs == nullptr || web.previews == nullptr) return;
  router.Add("GET", kPath, WrapSecretLinkPage(web, ShowEmbeddedDraft));
  router.Add("POST", kPath, WrapSecretLinkPage(web, SubmitEmbeddedDraft), http::Lane::kFetch);
  router.Add("GET", std::string(kPath) + "/{id}/page/{file_index}/{page}",
             WrapSecretLinkPage(web, EmbeddedDraftPageImage), http::Lane::kCompute);
}

}  // namespace countersign::web
