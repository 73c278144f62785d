// The web app's drafts (issue 15): GET /send/claim?token=… opens an unclaimed draft's
// claim_url (DraftService::Claim, after logging in) and goes to its prepare page;
// GET /drafts/{id} is the prepare page (web/draft_form) of a draft the logged-in account
// claimed — the Send page's "Place fields and preview" also lands there; POST /drafts/{id}
// saves it (action=save, back to the page) or sends it (action=send, to the new request's
// page); GET /drafts/{id}/page/{file_index}/{page}.png are its page images. Anyone but the
// claimer gets a 404 page.
#include "web/draft_form.h"
#include "web/form_refusal.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/signing_pages.h"

namespace countersign::web {
namespace {

DraftFormTarget TargetOf(const std::string& id) {
  DraftFormTarget target;
  target.action = "/drafts/" + id;
  target.image_prefix = "/drafts/" + id + "/page/";
  return target;
}

http::Response ClaimDraft(PageContext& page) {
  StatusOr<Draft> draft = page.web().drafts->Claim(AccountViewer(page), page.Query("token"));
  if (!draft.ok()) {
    if (draft.status().code() != Code::kNotFound) return page.Error(draft.status());
    return page.ErrorPage(404, "Draft not found",
                          "This draft link was already used, has expired, or is not valid.");
  }
  return page.Redirect("/drafts/" + draft->id + "?done=claimed");
}

http::Response ShowDraft(PageContext& page) {
  StatusOr<DraftView> view = page.web().drafts->Get(AccountViewer(page), page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  const std::string done = page.Query("done");
  const std::string notice = done == "claimed" ? "The draft is yours: check it, then send it."
                             : done == "saved" ? "Saved."
                                               : "";
  return DraftForm(page, *view, TargetOf(page.Param("id")), 200, notice, "", false);
}

http::Response SubmitDraft(PageContext& page) {
  const RequestViewer viewer = AccountViewer(page);
  SignatureRequest sent;
  StatusOr<std::string> done = ActOnDraftForm(page, viewer, page.Param("id"), &sent);
  if (done.ok()) {
    return *done == "send" ? page.Redirect("/requests/" + sent.id)
                           : page.Redirect("/drafts/" + page.Param("id") + "?done=saved");
  }
  const std::optional<FormRefusal> refused = FormRefusalOf(done.status());
  if (!refused) return page.Error(done.status());
  StatusOr<DraftView> view = page.web().drafts->Get(viewer, page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  return DraftForm(page, *view, TargetOf(page.Param("id")), refused->http_status, "",
                   "Not sent: " + refused->message, true);
}

http::Response DraftPageImage(PageContext& page) {
  StatusOr<DraftView> view = page.web().drafts->Get(AccountViewer(page), page.Param("id"));
  if (!view.ok()) return page.Error(view.status());
  return DocumentPageImage(page.web(), view->draft.files, page.request().PathParam("file_index"),
                           page.request().PathParam("page"));
}

}  // namespace

void RegisterDraftPages(http::Router& router, WebContext& web) {
  if (web.drafts == nullptr || web.requests == nullptr || web.blobs == nullptr ||
      web.previews == nullptr) {
    return;
  }
  router.Add("GET", "/send/claim", WrapAccountPage(web, ClaimDraft));
  router.Add("GET", "/drafts/{id}", WrapAccountPage(web, ShowDraft));
  // Sending stores and inspects the documents again: off the HTTP threads.
  router.Add("POST", "/drafts/{id}", WrapAccountPage(web, SubmitDraft), http::Lane::kFetch);
  router.Add("GET", "/drafts/{id}/page/{file_index}/{page}", WrapAccountPage(web, DraftPageImage),
             http::Lane::kCompute);
}

}  // namespace countersign::web
