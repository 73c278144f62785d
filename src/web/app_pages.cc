// The pages where a developer creates and manages their API apps.
#include <algorithm>
#include <charconv>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.h"
#include "core/log.h"
#include "model/scopes.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/text_lists.h"

namespace countersign::web {
namespace {

constexpr int kAppsPerPage = 20;

std::string Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

// "a.com, b.com" -> {"a.com", "b.com"}; empty items are dropped.
std::vector<std::string> SplitDomains(std::string_view text) {
  std::vector<std::string> domains;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string domain = Trim(text.substr(start, comma - start));
    if (!domain.empty()) domains.push_back(std::move(domain));
    start = comma + 1;
  }
  return domains;
}

// The app when it exists and `account_id` owns it; otherwise kNotFound (existence of other
// people's apps is not revealed).
StatusOr<ApiApp> OwnedApp(PageContext& page, std::string_view client_id) {
  StatusOr<ApiApp> app = page.web().apps.Get(std::string(client_id));
  if (!app.ok() && app.status().code() != Code::kNotFound) return app.status();
  if (!app.ok() || app->owner_account_id != page.account().id) {
    return NotFound("No app of yours has this client ID.");
  }
  return app;
}

// Maps "not the owner" to the same 404 as "no such app".
Status HideOthersApps(const Status& status) {
  if (status.code() == Code::kPermissionDenied) {
    return NotFound("No app of yours has this client ID.");
  }
  return status;
}

int PageNumber(const std::string& text) {
  int n = 1;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 1) return 1;
  return n;
}

http::Response AppList(PageContext& page) {
  int number = PageNumber(page.Query("page"));
  StatusOr<AppService::Page> apps = page.web().apps.List(page.account().id, number, kAppsPerPage);
  if (!apps.ok()) return page.Error(apps.status());
  Page list("apps.html", "Apps");
  ctemplate::TemplateDictionary& data = list.data();
  data.ShowSection(apps->apps.empty() ? "NO_APPS" : "HAS_APPS");
  for (const ApiApp& app : apps->apps) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("APP");
    row->SetValue("CLIENT_ID", app.client_id);
    row->SetValue("NAME", app.name);
    row->SetValue("STATUS", app.is_approved ? "Approved" : "Not approved");
  }
  bool has_prev = number > 1;
  bool has_next = static_cast<int64_t>(number) * kAppsPerPage < apps->total;
  if (has_prev || has_next) data.ShowSection("PAGER");
  if (has_prev) data.AddSectionDictionary("PREV")->SetIntValue("PAGE", number - 1);
  if (has_next) data.AddSectionDictionary("NEXT")->SetIntValue("PAGE", number + 1);
  return page.Render(200, list);
}

// The create-app form, pre-filled from the submitted form (if any), with an optional error.
http::Response AppForm(PageContext& page, int status, const std::string& error) {
  Page form("app_new.html", "Create an app");
  ctemplate::TemplateDictionary& data = form.data();
  data.SetValue("NAME", page.Form("name"));
  data.SetValue("DOMAINS", page.Form("domains"));
  data.SetValue("OAUTH_CALLBACK_URL", page.Form("oauth_callback_url"));
  data.SetValue("CALLBACK_URL", page.Form("callback_url"));
  std::vector<std::string> checked = page.FormAll("scopes");
  for (const std::string& scope : AllScopes()) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("SCOPE");
    row->SetValue("SCOPE_NAME", scope);
    row->SetValue("DESCRIPTION", DescribeScope(scope));
    if (std::find(checked.begin(), checked.end(), scope) != checked.end()) {
      row->ShowSection("CHECKED");
    }
  }
  if (!error.empty()) data.SetValueAndShowSection("MESSAGE", error, "ERROR");
  return page.Render(status, form);
}

http::Response NewAppForm(PageContext& page) { return AppForm(page, 200, ""); }

// The details page; `client_secret` is shown once when it was just generated.
http::Response Details(PageContext& page, const ApiApp& app, const std::string& client_secret,
                       bool created) {
  Page details("app_details.html", app.name);
  ctemplate::TemplateDictionary& data = details.data();
  data.SetValue("NAME", app.name);
  data.SetValue("CLIENT_ID", app.client_id);
  data.SetValue("DOMAINS", JoinedList(app.domains));
  data.SetValue("OAUTH_CALLBACK_URL", app.has_oauth ? app.oauth_callback_url : "None");
  data.SetValue("CALLBACK_URL", app.callback_url.value_or("None"));
  for (const std::string& scope : app.scopes) {
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("SCOPE");
    row->SetValue("SCOPE_NAME", scope);
    row->SetValue("DESCRIPTION", DescribeScope(scope));
  }
  data.SetValue("APPROVAL", app.is_approved
                                ? "Approved for production: any user can authorize it."
                                : "Not approved for production: only you can authorize it.");
  if (app.has_oauth) {
    // A fresh example state, as in Dropbox Sign's app details; apps substitute their own.
    data.SetValueAndShowSection("AUTHORIZE_URL",
                                page.web().base_url +
                                    "/oauth/authorize?response_type=code&client_id=" +
                                    http::UrlEncode(app.client_id) + "&state=" + RandomHex(4),
                                "OAUTH");
  }
  if (app.refresh_requires_client_credentials) data.ShowSection("REFRESH_NEEDS_CLIENT");
  if (app.require_pkce) data.ShowSection("REQUIRE_PKCE");
  if (!client_secret.empty()) {
    data.SetValueAndShowSection("CLIENT_SECRET", client_secret, "NEW_SECRET");
  }
  if (created) data.ShowSection("CREATED");
  return page.Render(200, details);
}

http::Response CreateApp(PageContext& page) {
  AppFields fields;
  fields.name = Trim(page.Form("name"));
  fields.domains = SplitDomains(page.Form("domains"));
  std::string oauth_callback = Trim(page.Form("oauth_callback_url"));
  std::vector<std::string> scopes = page.FormAll("scopes");
  if (!oauth_callback.empty() || !scopes.empty()) {
    fields.oauth = OAuthSettings{oauth_callback, scopes};
  }
  std::string callback = Trim(page.Form("callback_url"));
  if (!callback.empty()) fields.callback_url = callback;
  StatusOr<NewApp> created = page.web().apps.Create(page.account().id, fields);
  if (!created.ok()) {
    if (created.status().code() != Code::kInvalidArgument) return page.Error(created.status());
    return AppForm(page, 400, created.status().message());
  }
  if (created->app.callback_url) {
    // As the API does: a callback_test to the saved event callback. The app stands even if
    // the test cannot be recorded.
    Status tested = page.web().events.AppCallbackSaved(created->app.client_id, page.account().id);
    if (!tested.ok())
      log::Warn("web", "callback_test not recorded", {{"error", tested.ToString()}});
  }
  return Details(page, created->app, created->client_secret, /*created=*/true);
}

http::Response ShowApp(PageContext& page) {
  StatusOr<ApiApp> app = OwnedApp(page, page.request().PathParam("client_id"));
  if (!app.ok()) return page.Error(app.status());
  return Details(page, *app, "", false);
}

http::Response RotateSecret(PageContext& page) {
  std::string client_id = page.Param("client_id");
  StatusOr<std::string> secret = page.web().apps.RotateSecret(page.account().id, client_id);
  if (!secret.ok()) return page.Error(HideOthersApps(secret.status()));
  StatusOr<ApiApp> app = OwnedApp(page, client_id);
  if (!app.ok()) return page.Error(app.status());
  return Details(page, *app, *secret, false);
}

// The OAuth security settings form (docs/oauth-security.md): an unchecked box turns it off.
http::Response SaveOAuthSettings(PageContext& page) {
  std::string client_id = page.Param("client_id");
  AppFields fields;
  fields.refresh_requires_client_credentials =
      page.Form("refresh_requires_client_credentials") == "on";
  fields.require_pkce = page.Form("require_pkce") == "on";
  StatusOr<ApiApp> app = page.web().apps.Update(page.account().id, client_id, fields);
  if (!app.ok()) return page.Error(HideOthersApps(app.status()));
  return page.Redirect("/apps/" + http::UrlEncode(client_id));
}

http::Response DeleteApp(PageContext& page) {
  std::string client_id = page.Param("client_id");
  Status deleted = page.web().apps.Delete(page.account().id, client_id);
  if (!deleted.ok()) return page.Error(HideOthersApps(deleted));
  return page.Redirect("/apps");
}

}  // namespace

void RegisterAppPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/apps", WrapAccountPage(web, AppList));
  router.Add("GET", "/apps/new", WrapAccountPage(web, NewAppForm));
  router.Add("POST", "/apps", WrapAccountPage(web, CreateApp));
  router.Add("GET", "/apps/{client_id}", WrapAccountPage(web, ShowApp));
  router.Add("POST", "/apps/{client_id}/secret", WrapAccountPage(web, RotateSecret));
  router.Add("POST", "/apps/{client_id}/oauth-settings", WrapAccountPage(web, SaveOAuthSettings));
  router.Add("POST", "/apps/{client_id}/delete", WrapAccountPage(web, DeleteApp));
}

}  // namespace countersign::web
