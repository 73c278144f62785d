#include "app/application.h"

#include <filesystem>

#include "core/crypto.h"
#include "http/status_mapping.h"
#include "oauth/token_endpoint.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {

StatusOr<std::unique_ptr<Application>> Application::Open(const Config& config) {
  CS_RETURN_IF_ERROR(InitCrypto());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Internal("cannot create the data folder " + config.data_dir + ": " + ec.message());
  std::unique_ptr<Application> app(new Application(config));
  const std::string db_path = (std::filesystem::path(config.data_dir) / "countersign.db").string();
  CS_ASSIGN_OR_RETURN(app->stores_, OpenSqliteStores(db_path, 8));
  AccountService::Options account_options;
  account_options.fast_password_hashing = config.fast_password_hashing;
  app->accounts_ =
      std::make_unique<AccountService>(*app->stores_.accounts, app->clock_, account_options);
  app->apps_ = std::make_unique<AppService>(*app->stores_.apps, app->clock_);
  app->oauth_ =
      std::make_unique<OAuthService>(*app->stores_.apps, *app->stores_.oauth,
                                     *app->stores_.accounts, app->clock_, OAuthService::Options{});
  app->sessions_ = std::make_unique<SessionService>(*app->stores_.sessions, app->clock_,
                                                    SessionService::Options{});
  return app;
}

StatusOr<const http::Router*> Application::BuildRouter(const std::string& base_url) {
  (void)stores_.sessions->DeleteExpired(clock_.NowSeconds());
  authenticator_ = std::make_unique<api::ApiAuthenticator>(*accounts_, *oauth_);
  api_context_.reset(new api::ApiContext{*accounts_, *apps_, *oauth_, *authenticator_});
  CS_ASSIGN_OR_RETURN(renderer_, web::Renderer::Create(web_templates::Files()));
  web_context_.reset(new web::WebContext{*accounts_, *apps_, *oauth_, *sessions_, *renderer_,
                                         base_url, base_url.rfind("https://", 0) == 0});
  router_ = std::make_unique<http::Router>();
  api::RegisterApiRoutes(*router_, *api_context_);
  oauth::RegisterTokenRoutes(*router_, *oauth_);
  web::RegisterWebRoutes(*router_, *web_context_);
  router_->SetNotFound([](http::Request&) { return http::ErrorResponse(NotFound()); });
  router_->SetMethodNotAllowed([](http::Request&) {
    http::Response r = http::ErrorResponse(
        Status(Code::kInvalidArgument, "This method is not allowed on this resource."));
    r.status = 405;
    return r;
  });
  return router_.get();
}

void Application::SetPublicUrl(const std::string& base_url) {
  if (web_context_) {
    web_context_->base_url = base_url;
    web_context_->secure_cookies = base_url.rfind("https://", 0) == 0;
  }
}

}  // namespace countersign
