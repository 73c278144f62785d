#include "app/application.h"

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "api/dropbox_operations.h"
#include "api/oauth_token_endpoint.h"
#include "app/storage_config.h"
#include "core/crypto.h"
#include "files/curl_url_fetcher.h"
#include "files/file_blob_store.h"
#include "http/status_mapping.h"
#include "mail/outbox_mailer.h"
#include "mail/smtp_mailer.h"
#include "pdf/poppler_messages.h"
#include "pdf/qpdf_document_finalizer.h"
#include "pdf/qpdf_inspector.h"
#include "pdf/signing_certificate.h"

namespace countersign {

namespace {

// "300,900,..." -> seconds after the first try of each retry.
StatusOr<std::vector<int64_t>> ParseRetrySchedule(const std::string& text) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    try {
      size_t used = 0;
      long long v = std::stoll(item, &used);
      if (used != item.size() || v < 0 || (!out.empty() && v < out.back())) throw 0;
      out.push_back(v);
    } catch (...) {
      return InvalidArgument("--event-retry-schedule takes increasing seconds, e.g. 300,900");
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// The certificate that seals final PDFs: created at first start and kept in the database, so
// every instance seals with the same one (GetOrCreate makes racing first starts agree).
StatusOr<SigningIdentity> LoadOrCreateSealIdentity(SettingsStore& settings, const Clock& clock) {
  CS_ASSIGN_OR_RETURN(SigningIdentity fresh,
                      CreateSigningIdentity("Countersign", clock.NowSeconds()));
  nlohmann::json pair = {{"certificate", fresh.certificate_pem()},
                         {"private_key", fresh.private_key_pem()}};
  CS_ASSIGN_OR_RETURN(std::string stored, settings.GetOrCreate(kSealIdentitySetting, pair.dump()));
  nlohmann::json parsed = nlohmann::json::parse(stored, nullptr, false);
  if (!parsed.is_object() || !parsed["certificate"].is_string() ||
      !parsed["private_key"].is_string()) {
    return Internal("the stored seal identity is malformed");
  }
  return LoadSigningIdentity(parsed["certificate"].get<std::string>(),
                             parsed["private_key"].get<std::string>());
}

}  // namespace

StatusOr<std::unique_ptr<Application>> Application::Open(const Config& config) {
  CS_RETURN_IF_ERROR(InitCrypto());
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return Internal("cannot create the data folder " + config.data_dir + ": " + ec.message());
  std::unique_ptr<Application> app(new Application(config));
  CS_ASSIGN_OR_RETURN(app->stores_, OpenConfiguredStores(config));
  CS_ASSIGN_OR_RETURN(app->secret_box_, SecretBox::OpenKeyFile(SecretKeyPath(config)));
  AccountService::Options account_options;
  account_options.fast_password_hashing = config.fast_password_hashing;
  account_options.api_key_box = &*app->secret_box_;
  account_options.commit_watch = app->stores_.commit_watch.get();
  app->accounts_ =
      std::make_unique<AccountService>(*app->stores_.accounts, app->clock_, account_options);
  app->apps_ = std::make_unique<AppService>(*app->stores_.apps, app->clock_);
  app->operators_ = std::make_unique<OperatorService>(*app->stores_.accounts, *app->stores_.apps);
  OAuthService::Options oauth_options;
  CS_ASSIGN_OR_RETURN(oauth_options.ordered_tokens_from,
                      OrderedTokensFrom(*app->stores_.settings, app->clock_));
  oauth_options.commit_watch = app->stores_.commit_watch.get();
  app->oauth_ = std::make_unique<OAuthService>(*app->stores_.apps, *app->stores_.oauth,
                                               *app->stores_.accounts, app->clock_, oauth_options);
  app->sessions_ = std::make_unique<SessionService>(*app->stores_.sessions, app->clock_,
                                                    SessionService::Options{});
  const std::filesystem::path data(config.data_dir);
  CS_ASSIGN_OR_RETURN(app->blobs_, FileBlobStore::Open(FilesDir(config)));
  SendPopplerMessagesToLog();  // not raw lines on standard error
  app->pdf_ = std::make_unique<QpdfInspector>();
  CS_ASSIGN_OR_RETURN(app->fetcher_, CurlUrlFetcher::Create());
  if (config.smtp_host.empty()) {
    app->mailer_ = std::make_unique<OutboxMailer>((data / "outbox").string(), config.mail_from,
                                                  config.mail_from_name, app->clock_);
  } else {
    SmtpOptions smtp;
    smtp.host = config.smtp_host;
    smtp.port = config.smtp_port;
    CS_ASSIGN_OR_RETURN(smtp.security, ParseSmtpSecurity(config.smtp_security));
    smtp.username = config.smtp_user;
    smtp.password = config.smtp_password;
    smtp.from_address = config.mail_from;
    smtp.from_name = config.mail_from_name;
    app->mailer_ = std::make_unique<SmtpMailer>(std::move(smtp), app->clock_);
  }
  MailWorkerOptions mail_options;
  mail_options.retry_base_seconds = config.mail_retry_seconds;
  app->mail_worker_ = std::make_unique<MailWorker>(*app->stores_.mail_queue, *app->mailer_,
                                                   app->clock_, mail_options);
  AccountConfirmationService::Options confirmation_options;
  confirmation_options.link_ttl_seconds = config.confirmation_link_ttl_seconds;
  confirmation_options.resend_interval_seconds = config.confirmation_resend_seconds;
  app->sign_up_notices_ =
      std::make_unique<SignUpNotice>(*app->stores_.mail_queue, *app->stores_.rate_limits,
                                     app->clock_, app->public_url_, SignUpNotice::Options{});
  app->confirmations_ = std::make_unique<AccountConfirmationService>(
      *app->accounts_, *app->apps_, *app->oauth_, *app->stores_.confirmations,
      *app->sign_up_notices_, app->clock_, app->public_url_, confirmation_options);
  CS_ASSIGN_OR_RETURN(std::string url_key,
                      app->stores_.settings->GetOrCreate("file_url_key", RandomHex(32)));
  app->url_signer_ = std::make_unique<FileUrlSigner>(url_key, app->clock_);
  EventWorkerOptions event_options;
  event_options.templates = app->stores_.templates.get();
  CS_ASSIGN_OR_RETURN(event_options.retry_offsets_seconds,
                      ParseRetrySchedule(config.event_retry_schedule));
  event_options.callback.timeout_seconds = config.event_timeout_seconds;
  event_options.callback.allow_private_addresses = config.allow_private_callbacks;
  event_options.counters = &app->metrics_;
  CS_ASSIGN_OR_RETURN(app->callback_poster_, MakeCurlCallbackPoster());
  app->event_worker_ = std::make_unique<EventWorker>(
      *app->stores_.events, *app->stores_.signature_requests, *app->stores_.accounts,
      *app->stores_.mail_queue, *app->callback_poster_, *app->secret_box_, app->clock_,
      app->public_url_, event_options);
  EventWorker* worker = app->event_worker_.get();
  app->events_ = std::make_unique<EventService>(*app->stores_.events, app->clock_,
                                                [worker] { worker->Wake(); });
  CS_ASSIGN_OR_RETURN(SigningIdentity identity,
                      LoadOrCreateSealIdentity(*app->stores_.settings, app->clock_));
  app->finalizer_ = std::make_unique<QpdfDocumentFinalizer>(std::move(identity));
  app->advancer_ = std::make_unique<RequestAdvancer>(
      *app->stores_.signature_requests, *app->blobs_, *app->finalizer_, *app->url_signer_,
      app->clock_, app->public_url_, RequestAdvancerOptions{});
  app->housekeeping_ =
      std::make_unique<Housekeeping>(*app->stores_.sessions, *app->stores_.rate_limits,
                                     *app->stores_.drafts, *app->stores_.oauth, app->clock_);
  app->signing_ = std::make_unique<SigningService>(*app->stores_.signature_requests, app->clock_);
  // Page images in a child process (time and memory limits) when pdftoppm is installed.
  constexpr char kPdftoppm[] = "/usr/bin/pdftoppm";
  if (access(kPdftoppm, X_OK) == 0) {
    app->page_renderer_ = std::make_unique<PdftoppmPageRenderer>(
        kPdftoppm, std::filesystem::temp_directory_path().string());
  } else {
    app->page_renderer_ = std::make_unique<PopplerPageRenderer>();
  }
  app->page_previews_ =
      std::make_unique<PagePreviews>(*app->page_renderer_, PagePreviews::Options{});
  SignatureRequestService::Options sr_options;
  sr_options.max_file_bytes = config.max_file_mb << 20;
  sr_options.fetch.allow_private_addresses = config.allow_private_file_urls;
  app->signature_requests_ = std::make_unique<SignatureRequestService>(
      *app->stores_.signature_requests, *app->stores_.accounts, *app->stores_.apps, *app->blobs_,
      *app->pdf_, *app->fetcher_, app->clock_, app->public_url_, sr_options);
  app->embedded_signing_ = std::make_unique<EmbeddedSigning>(
      *app->stores_.signature_requests, *app->stores_.apps, app->clock_, app->public_url_);
  app->templates_ =
      std::make_unique<TemplateService>(*app->stores_.templates, *app->stores_.accounts,
                                        *app->signature_requests_, *app->blobs_, app->clock_);
  app->draft_reader_ = std::make_unique<api::ApiDraftBodyReader>();
  app->drafts_ = std::make_unique<DraftService>(*app->stores_.drafts, *app->signature_requests_,
                                                *app->templates_, *app->draft_reader_, *app->blobs_,
                                                *app->stores_.apps, app->clock_, app->public_url_);
  return app;
}

StatusOr<const http::Router*> Application::BuildRouter(const std::string& base_url) {
  rate_limiter_ = std::make_unique<RateLimiter>(
      *stores_.rate_limits, clock_, RateLimiter::Options{config_.rate_limit_window_seconds});
  api_rate_limits_ = std::make_unique<api::ApiRateLimits>(
      *rate_limiter_, api::ApiRateLimitOptions{config_.rate_limit_standard, config_.rate_limit_high,
                                               config_.rate_limit_test_mode, &metrics_});
  login_throttle_ =
      std::make_unique<LoginThrottle>(*stores_.rate_limits, clock_,
                                      LoginThrottle::Options{config_.login_max_failures_per_email,
                                                             config_.login_max_failures_per_ip,
                                                             config_.login_failure_window_seconds});
  authenticator_ =
      std::make_unique<api::ApiAuthenticator>(*accounts_, *oauth_, api_rate_limits_.get());
  api_context_.reset(
      new api::ApiContext{*accounts_, *apps_, *oauth_, *authenticator_, *events_, *confirmations_});
  CS_ASSIGN_OR_RETURN(renderer_, web::Renderer::Create(web_templates::Files()));
  web_context_.reset(new web::WebContext{*accounts_, *apps_, *oauth_, *sessions_, *events_,
                                         *confirmations_, *renderer_, base_url,
                                         base_url.rfind("https://", 0) == 0});
  web_context_->signing = signing_.get();
  web_context_->embedded = embedded_signing_.get();
  web_context_->requests = signature_requests_.get();
  web_context_->url_signer = url_signer_.get();
  web_context_->operators = operators_.get();
  web_context_->templates = templates_.get();
  web_context_->drafts = drafts_.get();
  web_context_->blobs = blobs_.get();
  web_context_->previews = page_previews_.get();
  web_context_->login_throttle = login_throttle_.get();
  web_context_->counters = &metrics_;
  public_url_.Set(base_url);
  signature_request_context_.reset(
      new api::SignatureRequestApiContext{*signature_requests_, *embedded_signing_, *authenticator_,
                                          *pdf_, *blobs_, *url_signer_, public_url_});
  router_ = std::make_unique<http::Router>();
  api::RegisterApiRoutes(*router_, *api_context_);
  api::RegisterSignatureRequestRoutes(*router_, *signature_request_context_);
  template_context_.reset(new api::TemplateApiContext{*templates_, *authenticator_, *pdf_, *blobs_,
                                                      *url_signer_, public_url_});
  api::RegisterTemplateRoutes(*router_, *template_context_);
  draft_context_.reset(new api::UnclaimedDraftApiContext{*drafts_, *authenticator_});
  api::RegisterUnclaimedDraftRoutes(*router_, *draft_context_);
  api::RegisterTokenRoutes(*router_, *oauth_, public_url_, &metrics_);
  ops_sources_.reset(new OpsSources{*stores_.probe, clock_, server_state_, metrics_,
                                    [this] { return WorkersRunning(); },
                                    [this] { return ReadCaches(); }});
  RegisterOpsRoutes(*router_, *ops_sources_,
                    OpsRouteOptions{config_.metrics_enabled || !config_.metrics_token.empty(),
                                    config_.metrics_token});
  web::RegisterWebRoutes(*router_, *web_context_);
  api::RegisterUnimplementedOperations(*router_);
  router_->SetNotFound([](http::Request&) { return http::ErrorResponse(NotFound()); });
  router_->SetMethodNotAllowed([](http::Request&) {
    http::Response r = http::ErrorResponse(
        Status(Code::kInvalidArgument, "This method is not allowed on this resource."));
    r.status = 405;
    return r;
  });
  return router_.get();
}

void Application::StartWorkers() {
  mail_worker_->Start();
  event_worker_->Start();
  advancer_->Start();
  housekeeping_->Start();
}

void Application::StopWorkers() {
  housekeeping_->Stop();
  advancer_->Stop();
  event_worker_->Stop();
  mail_worker_->Stop();
}

std::vector<std::pair<std::string, bool>> Application::WorkersRunning() const {
  return {{"mail", mail_worker_->Running()},
          {"events", event_worker_->Running()},
          {"advance", advancer_->Running()},
          {"housekeeping", housekeeping_->Running()}};
}

std::vector<std::pair<std::string, ReadCacheStats>> Application::ReadCaches() const {
  std::vector<std::pair<std::string, ReadCacheStats>> out;
  if (std::optional<ReadCacheStats> bearer = oauth_->BearerCacheStats()) {
    out.emplace_back("bearer_token", *bearer);
  }
  if (std::optional<ReadCacheStats> api_key = accounts_->ApiKeyCacheStats()) {
    out.emplace_back("api_key", *api_key);
  }
  return out;
}

void Application::SetPublicUrl(const std::string& base_url) {
  public_url_.Set(base_url);
  if (web_context_) {
    web_context_->base_url = base_url;
    web_context_->secure_cookies = base_url.rfind("https://", 0) == 0;
  }
}

}  // namespace countersign
