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
  RegisterDocumentPages(router, web);
  RegisterSendPages(router, web);
  RegisterOperatorPages(router, web);
  RegisterTemplatePages(router, web);
  RegisterDraftPages(router, web);
  RegisterEmbeddedDraftPages(router, web);
  router.Add("GET", "/static/style.css", StaticText("text/css; charset=utf-8", StyleSheet()));
}

}  // namespace countersign::web
