#include "web/web_routes.h"

#include "web/confirm_pages.h"
#include "web/page_context.h"
#include "web/pages.h"
#include "web/signing_pages.h"

namespace countersign::web {

void RegisterWebRoutes(http::Router& router, WebContext& web) {
  RegisterAuthPages(router, web);
  RegisterSettingsPages(router, web);
  RegisterAppPages(router, web);
  RegisterConsentPages(router, web);
  RegisterAuthorizedAppsPages(router, web);
  RegisterConfirmPages(router, web);
  RegisterCallbackPages(router, web);
  RegisterSigningPages(router, web);
  RegisterEmbeddedSignPages(router, web);
  // Every signature request's details_url. The web app has no request page yet: a clear 404
  // page rather than the generic "not found" JSON.
  router.Add("GET", "/requests/{id}", WrapPage(web, [](PageContext& page) {
               return page.ErrorPage(
                   404, "Request details",
                   "Countersign has no page for signature request details yet. Use the API "
                   "(GET /v3/signature_request/{id}) or the links in your email.");
             }));
  router.Add("GET", "/static/style.css", StaticText("text/css; charset=utf-8", StyleSheet()));
}

}  // namespace countersign::web
