// SqlAppStore: AppStore over the `api_apps` table (deleting an app also revokes its rows
// in `oauth_grants`). Thread-safe (every call borrows its own pooled connection); each method
// is atomic.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/app_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

// The columns of an app row, read as table alias `p` (`... FROM api_apps p`), for this store and
// for queries of other stores that join the app in (SqlOAuthStore::FindTokenWithApp).
extern const char kAppColumns[];
// Reads the fifteen kAppColumns starting at column `first` of the current row.
StatusOr<ApiApp> ReadApp(const SqlStatement& row, int first);

class SqlAppStore : public AppStore {
 public:
  explicit SqlAppStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  // kConflict when the client id is taken.
  Status Create(const ApiApp& app) override;
  StatusOr<ApiApp> FindByClientId(const std::string& client_id) override;
  // Ties on created_at are broken by client_id, descending, so pages are stable.
  StatusOr<std::vector<ApiApp>> ListByOwner(const std::string& owner_account_id, int64_t offset,
                                            int limit) override;
  StatusOr<int64_t> CountByOwner(const std::string& owner_account_id) override;
  StatusOr<std::vector<ApiApp>> ListAll(int64_t offset, int limit) override;
  Status Update(const ApiApp& app) override;
  Status Delete(const std::string& client_id, int64_t now) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
