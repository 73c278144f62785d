// The OAuth consent page (GET /oauth/authorize) and its decision (POST /oauth/authorize), and
// the consent page for the app that created the account (GET|POST /account/authorize,
// docs/account-creation.md), which activates or revokes the app's pending grant instead of
// issuing a code. Security rules (DESIGN.md): a bad client_id, redirect_uri or response_type
// gets an error page, never a redirect; the POST re-validates everything and carries a CSRF
// token. The form carries the consent digest of what it showed (the app's scopes and OAuth
// callback URL): if the app changed before the user decided, Accept shows the page again
// instead of granting (docs/oauth-security.md). Redirects carry `iss` (RFC 9207). Accounts
// whose email is not confirmed get a page asking them to confirm it first.
#include <string>
#include <utility>
#include <vector>

#include "model/scopes.h"
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

// Fills the consent page `consent` for `app` and the `scopes` to approve, posting to `action`.
void FillConsent(Page& consent, PageContext& page, const ApiApp& app,
                 const std::vector<std::string>& scopes, const char* action) {
  ctemplate::TemplateDictionary& data = consent.data();
  data.SetValue("FORM_ACTION", action);
  data.SetValue("APP_NAME", app.name);
  data.SetValue("EMAIL", page.account().email);
  for (const std::string& scope : scopes) {
    data.AddSectionDictionary("SCOPE")->SetValue("DESCRIPTION", DescribeScope(scope));
  }
  data.SetValue("CLIENT_ID", app.client_id);
}

// The parameters of the authorization request, from the query (GET) or the form (POST).
AuthorizeParams Params(PageContext& page, bool from_form) {
  auto get = [&](const char* name) { return from_form ? page.Form(name) : page.Query(name); };
  return AuthorizeParams{get("response_type"), get("client_id"),      get("redirect_uri"),
                         get("state"),         get("code_challenge"), get("code_challenge_method")};
}

// The consent page of the validated `request`; `params` are carried in the form as received.
// `changed`: the app changed since the page the user answered, which is said on the page.
http::Response RenderConsent(PageContext& page, const AuthorizeRequest& request,
                             const AuthorizeParams& params, bool changed) {
  Page consent("consent.html", "Authorize " + request.app.name);
  FillConsent(consent, page, request.app, request.app.scopes, "/oauth/authorize");
  ctemplate::TemplateDictionary& data = consent.data();
  data.ShowSection("OAUTH_REQUEST");
  if (changed) data.ShowSection("CHANGED");
  data.SetValue("RESPONSE_TYPE", params.response_type);
  data.SetValue("REDIRECT_URI", params.redirect_uri);
  data.SetValue("CALLBACK_URL", request.redirect_uri);
  data.SetValue("STATE", request.state);
  data.SetValue("CODE_CHALLENGE", params.code_challenge);
  data.SetValue("CODE_CHALLENGE_METHOD", params.code_challenge_method);
  data.SetValue("CONSENT", request.consent_digest);
  return page.Render(200, consent);
}

http::Response ConsentForm(PageContext& page) {
  AuthorizeParams params = Params(page, /*from_form=*/false);
  StatusOr<AuthorizeRequest> request = page.web().oauth.ValidateAuthorize(params);
  if (!request.ok()) return page.Error(request.status());
  if (!page.logged_in()) return page.RedirectToLogin();
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  Status may = page.web().oauth.CheckMayAuthorize(request->app, page.account().id);
  if (!may.ok()) return page.Error(may);
  return RenderConsent(page, *request, params, /*changed=*/false);
}

http::Response Decide(PageContext& page) {
  AuthorizeParams form = Params(page, /*from_form=*/true);
  StatusOr<AuthorizeRequest> request = page.web().oauth.ValidateAuthorize(form);
  if (!request.ok()) return page.Error(request.status());
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  Status may = page.web().oauth.CheckMayAuthorize(request->app, page.account().id);
  if (!may.ok()) return page.Error(may);

  std::vector<std::pair<std::string, std::string>> params;
  std::string decision = page.Form("decision");
  if (decision == "accept") {
    StatusOr<std::string> code =
        page.web().oauth.IssueCode(*request, page.account().id, page.Form("consent"));
    if (code.status().code() == Code::kConflict) {
      return RenderConsent(page, *request, form, /*changed=*/true);
    }
    if (!code.ok()) return page.Error(code.status());
    params.emplace_back("code", *code);
  } else if (decision == "deny") {
    params.emplace_back("error", "access_denied");
  } else {
    return page.Error(InvalidArgument("Choose Accept or Deny."));
  }
  if (!request->state.empty()) params.emplace_back("state", request->state);
  params.emplace_back("iss", page.web().base_url);  // RFC 9207
  return page.Redirect(AppendQuery(request->redirect_uri, params));
}

// The app waiting for this account's consent with a pending grant, and that grant; kNotFound
// when none is.
StatusOr<AuthorizedApp> PendingApp(PageContext& page, const std::string& client_id) {
  CS_ASSIGN_OR_RETURN(std::vector<AuthorizedApp> pending,
                      page.web().oauth.ListPendingApps(page.account().id));
  for (AuthorizedApp& item : pending) {
    if (item.app.client_id == client_id) return std::move(item);
  }
  return NotFound("This app is not waiting for your authorization.");
}

http::Response PendingConsentForm(PageContext& page) {
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  StatusOr<AuthorizedApp> pending = PendingApp(page, page.Query("client_id"));
  if (!pending.ok()) return page.Error(pending.status());
  const ApiApp& app = pending->app;
  Page consent("consent.html", "Authorize " + app.name);
  // The scopes the pending grant's tokens carry, which are what accepting approves.
  FillConsent(consent, page, app, pending->grant.scopes, "/account/authorize");
  consent.data().ShowSection("CREATED_BY_APP");
  return page.Render(200, consent);
}

http::Response PendingDecide(PageContext& page) {
  if (!page.account().email_confirmed) return ConfirmFirstPage(page, "");
  StatusOr<AuthorizedApp> pending = PendingApp(page, page.Form("client_id"));
  if (!pending.ok()) return page.Error(pending.status());
  const ApiApp* app = &pending->app;
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
