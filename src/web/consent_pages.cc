// The OAuth consent page (GET /oauth/authorize) and its decision (POST /oauth/authorize).
// Security rules (DESIGN.md): a bad client_id, redirect_uri or response_type gets an error
// page, never a redirect; the POST re-validates everything and carries a CSRF token.
#include <string>
#include <utility>
#include <vector>

#include "service/scopes.h"
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

http::Response ConsentForm(PageContext& page) {
  StatusOr<AuthorizeRequest> request =
      page.web().oauth.ValidateAuthorize(page.Query("response_type"), page.Query("client_id"),
                                         page.Query("redirect_uri"), page.Query("state"));
  if (!request.ok()) return page.Error(request.status());
  if (!page.logged_in()) return page.RedirectToLogin();
  Status may = page.web().oauth.CheckMayAuthorize(request->app, page.account().id);
  if (!may.ok()) return page.Error(may);

  Page consent("consent.html", "Authorize " + request->app.name);
  ctemplate::TemplateDictionary& data = consent.data();
  data.SetValue("APP_NAME", request->app.name);
  data.SetValue("EMAIL", page.account().email);
  for (const std::string& scope : request->app.scopes) {
    data.AddSectionDictionary("SCOPE")->SetValue("DESCRIPTION", DescribeScope(scope));
  }
  data.SetValue("RESPONSE_TYPE", page.Query("response_type"));
  data.SetValue("CLIENT_ID", request->app.client_id);
  data.SetValue("REDIRECT_URI", request->redirect_uri);
  data.SetValue("STATE", request->state);
  return page.Render(200, consent);
}

http::Response Decide(PageContext& page) {
  StatusOr<AuthorizeRequest> request =
      page.web().oauth.ValidateAuthorize(page.Form("response_type"), page.Form("client_id"),
                                         page.Form("redirect_uri"), page.Form("state"));
  if (!request.ok()) return page.Error(request.status());
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

}  // namespace

void RegisterConsentPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/oauth/authorize", WrapPage(web, ConsentForm));
  router.Add("POST", "/oauth/authorize", WrapAccountPage(web, Decide));
}

}  // namespace countersign::web
