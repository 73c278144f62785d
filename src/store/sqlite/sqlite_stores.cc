#include "store/sqlite/sqlite_stores.h"

#include <memory>

#include "store/sqlite/sqlite_account_confirmation_store.h"
#include "store/sqlite/sqlite_account_store.h"
#include "store/sqlite/sqlite_app_store.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_event_store.h"
#include "store/sqlite/sqlite_mail_queue_store.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_oauth_store.h"
#include "store/sqlite/sqlite_rate_limit_store.h"
#include "store/sqlite/sqlite_session_store.h"
#include "store/sqlite/sqlite_settings_store.h"
#include "store/sqlite/sqlite_signature_request_store.h"

namespace countersign {

StatusOr<Stores> OpenSqliteStores(const std::string& path, int pool_size) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> opened,
                      SqliteDb::Open(path, pool_size, sqlite_migrations::Files()));
  // Every store shares the database; it closes when the last store is destroyed.
  std::shared_ptr<SqliteDb> db = std::move(opened);
  Stores stores;
  stores.accounts = std::make_unique<SqliteAccountStore>(db);
  stores.apps = std::make_unique<SqliteAppStore>(db);
  stores.oauth = std::make_unique<SqliteOAuthStore>(db);
  stores.sessions = std::make_unique<SqliteSessionStore>(db);
  stores.rate_limits = std::make_unique<SqliteRateLimitStore>(db);
  stores.signature_requests = std::make_unique<SqliteSignatureRequestStore>(db);
  stores.settings = std::make_unique<SqliteSettingsStore>(db);
  stores.events = std::make_unique<SqliteEventStore>(db);
  stores.confirmations = std::make_unique<SqliteAccountConfirmationStore>(db);
  stores.mail_queue = std::make_unique<SqliteMailQueueStore>(db);
  return stores;
}

}  // namespace countersign
