// Application: the wiring. The only place that names concrete classes: it opens the store
// backend, builds the services and registers every route. Used by `serve` and by the operator
// CLI commands. Not copyable; thread-safe once built (everything it owns is).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "api/api_routes.h"
#include "api/draft_body_reader.h"
#include "api/signature_request_routes.h"
#include "api/template_routes.h"
#include "api/unclaimed_draft_routes.h"
#include "app/config.h"
#include "app/ops_metrics.h"
#include "app/ops_routes.h"
#include "app/server_state.h"
#include "core/clock.h"
#include "core/public_url.h"
#include "events/callback_poster.h"
#include "events/event_worker.h"
#include "files/blob_store.h"
#include "files/url_fetcher.h"
#include "http/router.h"
#include "mail/mail_worker.h"
#include "mail/mailer.h"
#include "pdf/document_finalizer.h"
#include "pdf/pdf_inspector.h"
#include "service/account_confirmation_service.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/draft_service.h"
#include "service/embedded_signing.h"
#include "service/event_service.h"
#include "service/file_url_signer.h"
#include "service/housekeeping.h"
#include "service/oauth_service.h"
#include "service/operator_service.h"
#include "service/request_advancer.h"
#include "service/session_service.h"
#include "service/signature_request_service.h"
#include "service/signing_service.h"
#include "service/template_service.h"
#include "store/stores.h"
#include "web/renderer.h"
#include "web/web_routes.h"

namespace countersign {

class Application {
 public:
  // Creates the data folder if needed, opens the database and applies migrations.
  static StatusOr<std::unique_ptr<Application>> Open(const Config& config);

  AccountService& accounts() { return *accounts_; }
  SigningService& signing() { return *signing_; }
  AppService& apps() { return *apps_; }
  OperatorService& operators() { return *operators_; }

  // Builds the routes (API, OAuth token endpoint, pages) with `base_url` as the public URL.
  StatusOr<const http::Router*> BuildRouter(const std::string& base_url);
  // Sets the public URL once it is known (with --port 0, after binding). Call before the
  // server announces itself, so that no request is being handled yet.
  void SetPublicUrl(const std::string& base_url);

  // Starts and stops the background workers (mail, event callbacks, the request advancer).
  // StopWorkers lets each finish the item in hand and releases what it claimed but did not
  // start, where the store allows (mail).
  void StartWorkers();
  void StopWorkers();
  // Each background worker by name and whether it runs (readiness, metrics).
  std::vector<std::pair<std::string, bool>> WorkersRunning() const;
  // The authentication read caches by name (metrics); none without a commit watch.
  std::vector<std::pair<std::string, ReadCacheStats>> ReadCaches() const;

  // What the HTTP server reports to (metrics, readiness); give it to RunHttpServer.
  http::ServerObserver& server_observer() { return server_state_; }

 private:
  explicit Application(const Config& config) : config_(config) {}

  Config config_;
  SystemClock clock_;
  OpsMetrics metrics_;  // the process's one registry; before everything that counts
  ServerState server_state_{metrics_};
  std::optional<SecretBox> secret_box_;
  Stores stores_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<AppService> apps_;
  std::unique_ptr<OperatorService> operators_;
  std::unique_ptr<OAuthService> oauth_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<SignUpNotice> sign_up_notices_;
  std::unique_ptr<AccountConfirmationService> confirmations_;
  PublicUrl public_url_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<PdfInspector> pdf_;
  std::unique_ptr<UrlFetcher> fetcher_;
  std::unique_ptr<Mailer> mailer_;
  std::unique_ptr<MailWorker> mail_worker_;
  std::unique_ptr<FileUrlSigner> url_signer_;
  std::unique_ptr<CallbackPoster> callback_poster_;
  std::unique_ptr<EventWorker> event_worker_;
  std::unique_ptr<EventService> events_;
  std::unique_ptr<DocumentFinalizer> finalizer_;
  std::unique_ptr<RequestAdvancer> advancer_;
  std::unique_ptr<Housekeeping> housekeeping_;
  std::unique_ptr<SigningService> signing_;
  std::unique_ptr<PageRenderer> page_renderer_;
  std::unique_ptr<PagePreviews> page_previews_;
  std::unique_ptr<SignatureRequestService> signature_requests_;
  std::unique_ptr<EmbeddedSigning> embedded_signing_;
  std::unique_ptr<api::SignatureRequestApiContext> signature_request_context_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<api::TemplateApiContext> template_context_;
  std::unique_ptr<api::ApiDraftBodyReader> draft_reader_;
  std::unique_ptr<DraftService> drafts_;  // after templates_, which it borrows
  std::unique_ptr<api::UnclaimedDraftApiContext> draft_context_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<api::ApiRateLimits> api_rate_limits_;
  std::unique_ptr<LoginThrottle> login_throttle_;
  std::unique_ptr<api::ApiAuthenticator> authenticator_;
  std::unique_ptr<api::ApiContext> api_context_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::WebContext> web_context_;
  std::unique_ptr<OpsSources> ops_sources_;
  std::unique_ptr<http::Router> router_;
};

}  // namespace countersign
