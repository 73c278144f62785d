// SqlSessionStore: SessionStore over the `sessions` table. Thread-safe (every call borrows
// its own pooled connection); each method is one atomic statement.
#pragma once

#include <memory>
#include <string>

#include "store/session_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlSessionStore : public SessionStore {
 public:
  explicit SqlSessionStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  // kConflict when the id hash is taken.
  Status Create(const Session& session) override;
  StatusOr<Session> Find(const std::string& id_hash, int64_t now) override;
  Status Delete(const std::string& id_hash) override;
  StatusOr<int> DeleteExpired(int64_t now) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
