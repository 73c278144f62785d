// The server-rendered pages of docs/web-contract.md ("Pages"): sign-up, log-in, settings,
// apps, the OAuth consent page, authorized apps and event deliveries, plus /static/style.css.
// Handlers call only the services; WebContext borrows them. Routes are registered once at
// start-up; the handlers are then thread-safe (every service and the Renderer are).
#pragma once

#include <string>

#include "core/ops_counters.h"
#include "files/blob_store.h"
#include "http/router.h"
#include "pdf/page_previews.h"
#include "service/account_confirmation_service.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/draft_service.h"
#include "service/embedded_signing.h"
#include "service/event_service.h"
#include "service/file_url_signer.h"
#include "service/login_throttle.h"
#include "service/oauth_service.h"
#include "service/operator_service.h"
#include "service/session_service.h"
#include "service/signature_request_service.h"
#include "service/signing_service.h"
#include "service/template_service.h"
#include "web/renderer.h"

namespace countersign::web {

// What the page handlers need. Built by app/ wiring; must outlive the router.
struct WebContext {
  AccountService& accounts;
  AppService& apps;
  OAuthService& oauth;
  SessionService& sessions;
  EventService& events;
  AccountConfirmationService& confirmations;
  const Renderer& renderer;
  // Public base URL without a trailing slash, e.g. "http://127.0.0.1:8080"; used for the
  // authorize URL shown on the app details page.
  std::string base_url;
  // Adds `Secure` to the session cookie (set when the base URL is https).
  bool secure_cookies = false;
  // The signer pages (/sign/...) are registered only when all three are set.
  SigningService* signing = nullptr;
  BlobStore* blobs = nullptr;
  PagePreviews* previews = nullptr;
  // The embedded signing page (/editor/embeddedSign) is registered only when this is set too.
  EmbeddedSigning* embedded = nullptr;
  // The sender's documents and request pages (/documents, /requests/{id}); registered only when
  // this and `signing` are set.
  SignatureRequestService* requests = nullptr;
  // Signs the request page's download links (the API's files_as_file_url links); null: none.
  const FileUrlSigner* url_signer = nullptr;
  // The operator pages (/operator); registered only when set.
  OperatorService* operators = nullptr;
  // The Templates pages (/templates...); registered only when this, `requests`, `blobs` and
  // `previews` are set.
  TemplateService* templates = nullptr;
  // Drafts: the Send page's prepare step and the claim_urls of unclaimed drafts
  // (/send/claim, /prep-and-send/embedded-request, /drafts/{id}); registered only when this,
  // `requests`, `blobs` and `previews` are set.
  DraftService* drafts = nullptr;
  // Failed log-ins per address and IP; null: not throttled.
  LoginThrottle* login_throttle = nullptr;
  // Counts log-ins by outcome (metrics); null: not counted.
  OpsCounters* counters = nullptr;
};

// Adds every page route to `router`. `web` must outlive the router.
void RegisterWebRoutes(http::Router& router, WebContext& web);

}  // namespace countersign::web
