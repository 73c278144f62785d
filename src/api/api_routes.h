// The /v3 JSON API: account and API app operations (CONTRACT.md §4, §5). Handlers are thin:
// parse the request, call a service, render Dropbox Sign JSON. Registered at start-up;
// handlers are thread-safe.
#pragma once

#include "api/auth.h"
#include "http/router.h"
#include "service/account_confirmation_service.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/event_service.h"
#include "service/oauth_service.h"

namespace countersign::api {

struct ApiContext {
  AccountService& accounts;
  AppService& apps;
  OAuthService& oauth;
  ApiAuthenticator& auth;
  EventService& events;
  AccountConfirmationService& confirmations;
};

void RegisterAccountRoutes(http::Router& router, ApiContext& ctx);
void RegisterApiAppRoutes(http::Router& router, ApiContext& ctx);

inline void RegisterApiRoutes(http::Router& router, ApiContext& ctx) {
  RegisterAccountRoutes(router, ctx);
  RegisterApiAppRoutes(router, ctx);
}

}  // namespace countersign::api
