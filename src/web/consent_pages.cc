// The OAuth consent page (GET /oauth/authorize) and its decision (POST /oauth/authorize), and
// the consent page for the app that created the account (GET|POST /account/authorize,
// docs/account-creation.md), which activates or revokes the app's pending grant instead of
// issuing a code. Security rules (DESIGN.md): a bad client_id, redirect_uri or response_type
// gets an error page, never a redirect; the POST re-validates everything and carries a CSRF
// token. Accounts whose email is not confirmed get a page asking them to confirm it first.
#include <string>
#include <utility>
#include <vector>

#include "service/scopes.h"
#include "web/confirm_pages.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

// `url` with the (unencoded) `params` appended to its query, before any fragment.
std::string AppendQuery(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& params) {
  size_t hash = url.find('#');
  std::string base = url.substr(0, hash);
  std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  std::string query;
  for (const auto& [name, value] : params) {
    query += (query.empty() ? "" : "&") + http::UrlEncode(name) + "=" + http::UrlEncode(value);
  }
  char separator = '?';
  if (base.find('?') != std::string::npos) {
    separator = (base.back() == '?' || base.back() == '&') ? '\0' : '&';
  }
  if (separator != '\0') base += separator;
  return base + query + fragment;
}

// Fills the consent page `consent` for `app`, posting to `action`.
void FillConsent(Page& consent, PageContext& page, const ApiApp& app, const char* action) {
  ctemplate::TemplateDictionary& data = consent.data();
  data.SetValue("FORM_ACTION", action);
  data.SetValue("APP_NAME", app.name);
  data.SetValue("EMAIL", page.account().email);
  for (const std::string& scope : app.scopes) {
    data.AddSectionDictionary("SCOPE")->SetValue("DESCRIPTION", DescribeScope(scope));
  }
  data.SetValue("CLIENT_ID", app.client_id);
}

http::Response ConsentForm(PageContext& page) {
  StatusOr<AuthorizeRequest> request =
      page.web().oauth.ValidateAuthorize(page.Query("response_type"), page.Query("client_id"),
                                         page.Query("redirect_uri"), page.Query("state"));
  if (!request.ok()) return page.Error(request.status());
  if (!page.logged_in()) return page.RedirectToLogin();
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  Status may = page.web().oauth.CheckMayAuthorize(request->app, page.account().id);
  if (!may.ok()) return page.Error(may);

  Page consent("consent.html", "Authorize " + request->app.name);
  FillConsent(consent, page, request->app, "/oauth/authorize");
  ctemplate::TemplateDictionary& data = consent.data();
  data.ShowSection("OAUTH_REQUEST");
  data.SetValue("RESPONSE_TYPE", page.Query("response_type"));
  data.SetValue("REDIRECT_URI", request->redirect_uri);
  data.SetValue("STATE", request->state);
  return page.Render(200, consent);
}

http::Response Decide(PageContext& page) {
  StatusOr<AuthorizeRequest> request =
      page.web().oauth.ValidateAuthorize(page.Form("response_type"), page.Form("client_id"),
                                         page.Form("redirect_uri"), page.Form("state"));
  if (!request.ok()) return page.Error(request.status());
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  Status may = page.web().oauth.CheckMayAuthorize(request->app, page.account().id);
  if (!may.ok()) return page.Error(may);

  std::vector<std::pair<std::string, std::string>> params;
  std::string decision = page.Form("decision");
  if (decision == "accept") {
    StatusOr<std::string> code = page.web().oauth.IssueCode(*request, page.account().id);
    if (!code.ok()) return page.Error(code.status());
    params.emplace_back("code", *code);
  } else if (decision == "deny") {
    params.emplace_back("error", "access_denied");
  } else {
    return page.Error(InvalidArgument("Choose Accept or Deny."));
  }
  if (!request->state.empty()) params.emplace_back("state", request->state);
  return page.Redirect(AppendQuery(request->redirect_uri, params));
}

// The app waiting for this account's consent with a pending grant; kNotFound when none is.
StatusOr<ApiApp> PendingApp(PageContext& page, const std::string& client_id) {
  CS_ASSIGN_OR_RETURN(std::vector<AuthorizedApp> pending,
                      page.web().oauth.ListPendingApps(page.account().id));
  for (AuthorizedApp& item : pending) {
    if (item.app.client_id == client_id) return std::move(item.app);
  }
  return NotFound("This app is not waiting for your authorization.");
}

http::Response PendingConsentForm(PageContext& page) {
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  StatusOr<ApiApp> app = PendingApp(page, page.Query("client_id"));
  if (!app.ok()) return page.Error(app.status());
  Page consent("consent.html", "Authorize " + app->name);
  FillConsent(consent, page, *app, "/account/authorize");
  consent.data().ShowSection("CREATED_BY_APP");
  return page.Render(200, consent);
}

http::Response PendingDecide(PageContext& page) {
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  StatusOr<ApiApp> app = PendingApp(page, page.Form("client_id"));
  if (!app.ok()) return page.Error(app.status());
  std::string decision = page.Form("decision");
  OAuthService& oauth = page.web().oauth;
  Page done("notice.html", app->name);
  ctemplate::TemplateDictionary& data = done.data();
  if (decision == "accept") {
    if (Status st = oauth.ActivatePendingGrants(page.account().id, app->client_id); !st.ok()) {
      return page.Error(st);
    }
    data.SetValue("HEADING", "You authorized " + app->name);
    data.SetValue("MESSAGE", app->name +
                                 " can now act on your behalf. You can revoke its access at any "
                                 "time under Authorized apps.");
  } else if (decision == "deny") {
    if (Status st = oauth.DenyPendingGrants(page.account().id, app->client_id); !st.ok()) {
      return page.Error(st);
    }
    data.SetValue("HEADING", "You denied " + app->name);
    data.SetValue("MESSAGE", app->name + " has no access to your account.");
  } else {
    return page.Error(InvalidArgument("Choose Accept or Deny."));
  }
  ctemplate::TemplateDictionary* link = data.AddSectionDictionary("LINK");
  link->SetValue("HREF", "/account/apps");
  link->SetValue("TEXT", "Authorized apps");
  return page.Render(200, done);
}

}  // namespace

void RegisterConsentPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/oauth/authorize", WrapPage(web, ConsentForm));
  router.Add("POST", "/oauth/authorize", WrapAccountPage(web, Decide));
  router.Add("GET", "/account/authorize", WrapAccountPage(web, PendingConsentForm));
  router.Add("POST", "/account/authorize", WrapAccountPage(web, PendingDecide));
}

}  // namespace countersign::web
