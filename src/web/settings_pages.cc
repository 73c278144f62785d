// The account's home page and settings (API key).
#include <string>
#include <vector>

#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

http::Response Home(PageContext& page) {
  Page home("home.html", "Home");
  home.data().SetValue("EMAIL", page.account().email);
  home.data().SetValue("ACCOUNT_ID", page.account().id);
  if (!page.account().email_confirmed) home.data().ShowSection("UNCONFIRMED");
  // Apps that created this account and wait for its consent (docs/account-creation.md).
  StatusOr<std::vector<AuthorizedApp>> pending =
      page.web().oauth.ListPendingApps(page.account().id);
  if (!pending.ok()) return page.Error(pending.status());
  for (const AuthorizedApp& item : *pending) {
    ctemplate::TemplateDictionary* row = home.data().AddSectionDictionary("PENDING_APP");
    row->SetValue("CLIENT_ID", item.app.client_id);
    row->SetValue("NAME", item.app.name);
  }
  return page.Render(200, home);
}

// The settings page; `new_api_key` (shown once) when it was just generated.
http::Response SettingsPage(PageContext& page, const std::string& hint,
                            const std::string& new_api_key) {
  Page settings("settings.html", "Settings");
  settings.data().SetValue("API_KEY_HINT", hint);
  if (!new_api_key.empty()) {
    settings.data().SetValueAndShowSection("API_KEY", new_api_key, "NEW_KEY");
  }
  return page.Render(200, settings);
}

http::Response Settings(PageContext& page) {
  return SettingsPage(page, page.account().api_key_hint, "");
}

http::Response RotateApiKey(PageContext& page) {
  StatusOr<std::string> key = page.web().accounts.RotateApiKey(page.account().id);
  if (!key.ok()) return page.Error(key.status());
  StatusOr<Account> account = page.web().accounts.Get(page.account().id);
  if (!account.ok()) return page.Error(account.status());
  return SettingsPage(page, account->api_key_hint, *key);
}

}  // namespace

void RegisterSettingsPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/home", WrapAccountPage(web, Home));
  router.Add("GET", "/settings", WrapAccountPage(web, Settings));
  router.Add("POST", "/settings/api_key", WrapAccountPage(web, RotateApiKey));
}

}  // namespace countersign::web
