// Stores: the set of store implementations one backend provides. Built by a backend factory
// (e.g. OpenSqliteStores) in app/ and passed by reference to the services.
#pragma once

#include <memory>

#include "store/account_confirmation_store.h"
#include "store/account_store.h"
#include "store/app_store.h"
#include "store/commit_watch.h"
#include "store/database_probe.h"
#include "store/draft_store.h"
#include "store/event_store.h"
#include "store/mail_queue_store.h"
#include "store/oauth_store.h"
#include "store/rate_limit_store.h"
#include "store/session_store.h"
#include "store/settings_store.h"
#include "store/signature_request_store.h"
#include "store/template_store.h"

namespace countersign {

struct Stores {
  std::unique_ptr<AccountStore> accounts;
  std::unique_ptr<AppStore> apps;
  std::unique_ptr<OAuthStore> oauth;
  std::unique_ptr<SessionStore> sessions;
  std::unique_ptr<MailQueueStore> mail_queue;
  std::unique_ptr<SignatureRequestStore> signature_requests;
  std::unique_ptr<TemplateStore> templates;
  std::unique_ptr<DraftStore> drafts;
  std::unique_ptr<SettingsStore> settings;
  std::unique_ptr<EventStore> events;
  std::unique_ptr<AccountConfirmationStore> confirmations;
  std::unique_ptr<RateLimitStore> rate_limits;
  std::unique_ptr<DatabaseProbe> probe;  // health, readiness, metrics
  // Whether anything was committed since a read, for caches of reads; null when the backend
  // cannot tell without a query (PostgreSQL; SQLite in memory), and then nothing is cached.
  std::unique_ptr<CommitWatch> commit_watch;
};

}  // namespace countersign
