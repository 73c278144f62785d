// The operator pages (issue 15): for accounts with the operator role (OperatorService), one
// page listing every app (those waiting for approval first) with Approve / Unapprove, and an
// account search by email with Lock / Unlock. Anyone else gets the same 404 page as for a
// page that does not exist, so the pages do not announce themselves.
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

http::Response NotThere(PageContext& page) {
  return page.ErrorPage(404, "Not found", "There is no such page.");
}

// The operator page, with `notice` or `error` (either may be empty) above it.
http::Response OperatorPage(PageContext& page, int http_status, const std::string& notice,
                            const std::string& error) {
  OperatorService& operators = *page.web().operators;
  if (!OperatorService::CheckOperator(page.account()).ok()) return NotThere(page);
  Page out("operator.html", "Operator");
  ctemplate::TemplateDictionary& data = out.data();
  if (!notice.empty()) data.AddSectionDictionary("NOTICE")->SetValue("TEXT", notice);
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  StatusOr<std::vector<ApiApp>> apps = operators.Apps(page.account(), 1);
  if (!apps.ok()) return page.Error(apps.status());
  for (const ApiApp& app : *apps) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("APP");
    row->SetValue("CLIENT_ID", app.client_id);
    row->SetValue("NAME", app.name);
    row->SetValue("STATE", app.is_approved ? "Approved" : "Waiting for approval");
    row->SetValue("ACTION", app.is_approved ? "Unapprove" : "Approve");
    row->SetValue("APPROVE", app.is_approved ? "0" : "1");
  }
  if (apps->empty()) data.ShowSection("NO_APPS");
  const std::string query = page.Query("q");
  data.SetValue("QUERY", query);
  if (!query.empty()) {
    StatusOr<std::vector<Account>> found = operators.FindAccounts(page.account(), query);
    if (!found.ok()) {
      if (found.status().code() != Code::kInvalidArgument) return page.Error(found.status());
      data.AddSectionDictionary("SEARCH_ERROR")->SetValue("TEXT", found.status().message());
    } else {
      ctemplate::TemplateDictionary* results = data.AddSectionDictionary("RESULTS");
      for (const Account& account : *found) {
        ctemplate::TemplateDictionary* row = results->AddSectionDictionary("ACCOUNT");
        row->SetValue("ID", account.id);
        row->SetValue("EMAIL", account.email);
        row->SetValue("STATE", std::string(account.is_locked ? "Locked" : "Active") +
                                   (account.is_admin ? ", operator" : ""));
        row->SetValue("ACTION", account.is_locked ? "Unlock" : "Lock");
        row->SetValue("LOCK", account.is_locked ? "0" : "1");
        row->SetValue("QUERY", query);
      }
      if (found->empty()) results->ShowSection("NONE");
    }
  }
  return page.Render(http_status, out);
}

http::Response Show(PageContext& page) { return OperatorPage(page, 200, "", ""); }

// Back to the operator page (with the search the form came from) after a POST action.
http::Response After(PageContext& page, const Status& st, const std::string& done) {
  if (st.code() == Code::kPermissionDenied) return NotThere(page);
  if (!st.ok() && st.code() != Code::kInvalidArgument && st.code() != Code::kNotFound) {
    return page.Error(st);
  }
  if (!st.ok())
    return OperatorPage(page, st.code() == Code::kNotFound ? 404 : 400, "", st.message());
  std::string location = "/operator?done=" + done;
  if (!page.Form("q").empty()) location += "&q=" + http::UrlEncode(page.Form("q"));
  return page.Redirect(location);
}

http::Response Approval(PageContext& page) {
  Status st = page.web().operators->SetApproved(page.account(), page.Param("client_id"),
                                                page.Form("approve") == "1");
  return After(page, st, page.Form("approve") == "1" ? "approved" : "unapproved");
}

http::Response Lock(PageContext& page) {
  Status st = page.web().operators->SetLocked(page.account(), page.Param("account_id"),
                                              page.Form("lock") == "1");
  return After(page, st, page.Form("lock") == "1" ? "locked" : "unlocked");
}

http::Response ShowWithNotice(PageContext& page) {
  const std::string done = page.Query("done");
  if (done == "approved") return OperatorPage(page, 200, "The app is approved.", "");
  if (done == "unapproved") return OperatorPage(page, 200, "The app is no longer approved.", "");
  if (done == "locked") return OperatorPage(page, 200, "The account is locked.", "");
  if (done == "unlocked") return OperatorPage(page, 200, "The account is unlocked.", "");
  return Show(page);
}

}  // namespace

void RegisterOperatorPages(http::Router& router, WebContext& web) {
  if (web.operators == nullptr) return;
  router.Add("GET", "/operator", WrapAccountPage(web, ShowWithNotice));
  router.Add("POST", "/operator/apps/{client_id}/approval", WrapAccountPage(web, Approval));
  router.Add("POST", "/operator/accounts/{account_id}/lock", WrapAccountPage(web, Lock));
}

}  // namespace countersign::web
