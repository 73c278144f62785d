// PostgresSessionStore: SessionStore over the `sessions` table. Thread-safe (every call borrows
// its own pooled connection); each method is one atomic statement.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/postgres_db.h"
#include "store/session_store.h"

namespace countersign {

class PostgresSessionStore : public SessionStore {
 public:
  explicit PostgresSessionStore(std::shared_ptr<PostgresDb> db) : db_(std::move(db)) {}

  // kConflict when the id hash is taken.
  Status Create(const Session& session) override;
  StatusOr<Session> Find(const std::string& id_hash, int64_t now) override;
  Status Delete(const std::string& id_hash) override;
  StatusOr<int> DeleteExpired(int64_t now) override;

 private:
  std::shared_ptr<PostgresDb> db_;
};

}  // namespace countersign
