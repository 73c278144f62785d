#include "store/sql/sql_stores.h"

#include "store/sql/sql_account_confirmation_store.h"
#include "store/sql/sql_account_store.h"
#include "store/sql/sql_app_store.h"
#include "store/sql/sql_database_probe.h"
#include "store/sql/sql_draft_store.h"
#include "store/sql/sql_event_store.h"
#include "store/sql/sql_mail_queue_store.h"
#include "store/sql/sql_migrations.h"
#include "store/sql/sql_oauth_store.h"
#include "store/sql/sql_rate_limit_store.h"
#include "store/sql/sql_session_store.h"
#include "store/sql/sql_settings_store.h"
#include "store/sql/sql_signature_request_store.h"
#include "store/sql/sql_template_store.h"

namespace countersign {

Stores MakeSqlStores(std::shared_ptr<SqlDatabase> db) {
  Stores stores;
  stores.accounts = std::make_unique<SqlAccountStore>(db);
  stores.apps = std::make_unique<SqlAppStore>(db);
  stores.oauth = std::make_unique<SqlOAuthStore>(db);
  stores.sessions = std::make_unique<SqlSessionStore>(db);
  stores.rate_limits = std::make_unique<SqlRateLimitStore>(db);
  stores.signature_requests = std::make_unique<SqlSignatureRequestStore>(db);
  stores.templates = std::make_unique<SqlTemplateStore>(db);
  stores.drafts = std::make_unique<SqlDraftStore>(db);
  stores.settings = std::make_unique<SqlSettingsStore>(db);
  stores.events = std::make_unique<SqlEventStore>(db);
  stores.confirmations = std::make_unique<SqlAccountConfirmationStore>(db);
  stores.probe = std::make_unique<SqlDatabaseProbe>(db, sql_migrations::Files());
  stores.mail_queue = std::make_unique<SqlMailQueueStore>(std::move(db));
  return stores;
}

}  // namespace countersign
