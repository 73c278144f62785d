// Application: the wiring. The only place that names concrete classes: it opens the store
// backend, builds the services and registers every route. Used by `serve` and by the operator
// CLI commands. Not copyable; thread-safe once built (everything it owns is).
#pragma once

#include <memory>
#include <string>

#include "api/api_routes.h"
#include "app/config.h"
#include "core/clock.h"
#include "http/router.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/oauth_service.h"
#include "service/session_service.h"
#include "store/stores.h"
#include "web/renderer.h"
#include "web/web_routes.h"

namespace countersign {

class Application {
 public:
  // Creates the data folder if needed, opens the database and applies migrations.
  static StatusOr<std::unique_ptr<Application>> Open(const Config& config);

  AccountService& accounts() { return *accounts_; }
  AppService& apps() { return *apps_; }

  // Builds the routes (API, OAuth token endpoint, pages) with `base_url` as the public URL.
  StatusOr<const http::Router*> BuildRouter(const std::string& base_url);
  // Sets the public URL once it is known (with --port 0, after binding). Call before the
  // server announces itself, so that no request is being handled yet.
  void SetPublicUrl(const std::string& base_url);

 private:
  explicit Application(const Config& config) : config_(config) {}

  Config config_;
  SystemClock clock_;
  Stores stores_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<AppService> apps_;
  std::unique_ptr<OAuthService> oauth_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<api::ApiAuthenticator> authenticator_;
  std::unique_ptr<api::ApiContext> api_context_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::WebContext> web_context_;
  std::unique_ptr<http::Router> router_;
};

}  // namespace countersign
