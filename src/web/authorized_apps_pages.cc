// The apps the user has authorized, and revoking them.
#include <set>
#include <string>

#include "model/scopes.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

http::Response AuthorizedApps(PageContext& page) {
  StatusOr<std::vector<AuthorizedApp>> authorized =
      page.web().oauth.ListAuthorizedApps(page.account().id);
  if (!authorized.ok()) return page.Error(authorized.status());
  Page list("authorized_apps.html", "Authorized apps");
  ctemplate::TemplateDictionary& data = list.data();
  data.ShowSection(authorized->empty() ? "NO_APPS" : "HAS_APPS");
  std::set<std::string> shown;  // one row per app, even with several grants
  for (const AuthorizedApp& item : *authorized) {
    if (!shown.insert(item.app.client_id).second) continue;
    ctemplate::TemplateDictionary* row = data.AddSectionDictionary("APP");
    row->SetValue("CLIENT_ID", item.app.client_id);
    row->SetValue("NAME", item.app.name);
    for (const std::string& scope : item.grant.scopes) {
      row->AddSectionDictionary("SCOPE")->SetValue("DESCRIPTION", DescribeScope(scope));
    }
  }
  return page.Render(200, list);
}

http::Response Revoke(PageContext& page) {
  std::string client_id = page.Param("client_id");
  Status revoked = page.web().oauth.RevokeApp(page.account().id, client_id);
  if (!revoked.ok()) return page.Error(revoked);
  return page.Redirect("/account/apps");
}

}  // namespace

void RegisterAuthorizedAppsPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/account/apps", WrapAccountPage(web, AuthorizedApps));
  router.Add("POST", "/account/apps/{client_id}/revoke", WrapAccountPage(web, Revoke));
}

}  // namespace countersign::web
