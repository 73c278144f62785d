#include "store/postgres/postgres_stores.h"

#include <memory>

#include "store/postgres/postgres_account_confirmation_store.h"
#include "store/postgres/postgres_account_store.h"
#include "store/postgres/postgres_app_store.h"
#include "store/postgres/postgres_db.h"
#include "store/postgres/postgres_event_store.h"
#include "store/postgres/postgres_mail_queue_store.h"
#include "store/postgres/postgres_oauth_store.h"
#include "store/postgres/postgres_rate_limit_store.h"
#include "store/postgres/postgres_session_store.h"
#include "store/postgres/postgres_settings_store.h"
#include "store/postgres/postgres_signature_request_store.h"
#include "store/sqlite/sqlite_migrations.h"

namespace countersign {

StatusOr<Stores> OpenPostgresStores(const std::string& url, int pool_size) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresDb> opened,
                      PostgresDb::Open(url, pool_size, sqlite_migrations::Files()));
  // Every store shares the pool; it closes when the last store is destroyed.
  std::shared_ptr<PostgresDb> db = std::move(opened);
  Stores stores;
  stores.accounts = std::make_unique<PostgresAccountStore>(db);
  stores.apps = std::make_unique<PostgresAppStore>(db);
  stores.oauth = std::make_unique<PostgresOAuthStore>(db);
  stores.sessions = std::make_unique<PostgresSessionStore>(db);
  stores.rate_limits = std::make_unique<PostgresRateLimitStore>(db);
  stores.signature_requests = std::make_unique<PostgresSignatureRequestStore>(db);
  stores.settings = std::make_unique<PostgresSettingsStore>(db);
  stores.events = std::make_unique<PostgresEventStore>(db);
  stores.confirmations = std::make_unique<PostgresAccountConfirmationStore>(db);
  stores.mail_queue = std::make_unique<PostgresMailQueueStore>(db);
  return stores;
}

bool IsPostgresUrl(const std::string& database) {
  return database.rfind("postgres://", 0) == 0 || database.rfind("postgresql://", 0) == 0;
}

}  // namespace countersign
