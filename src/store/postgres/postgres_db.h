// PostgresDb: SqlDatabase over one PostgreSQL database and a fixed pool of connections (one
// pool per server instance). Writes run inside BEGIN ... COMMIT at PostgreSQL's default READ
// COMMITTED isolation: the stores make their "happens once" rules hold with row locks and
// conditional UPDATEs (a second UPDATE of a row waits for the first transaction and re-checks
// its WHERE against the committed row), and claim work with FOR UPDATE SKIP LOCKED.
//
// A lost connection is re-established when it is next used (a read, or a write that had not
// begun, runs again on the new one); until the server is back, calls fail with kUnavailable.
// A write that fails with a deadlock or serialization error runs again from the start, at
// most kAttempts times in all. A one-statement write (WriteOneStatementAsync) runs without
// BEGIN ... COMMIT, in one round trip. Thread-safe (see SqlDatabase).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/postgres/postgres_connection.h"
#include "store/sql/sql_database.h"
#include "store/sql/sql_pool.h"

namespace countersign {

class PostgresDb final : public SqlDatabase {
 public:
  // Connects `pool_size` (>= 1) times to `url` and applies the pending `migrations`
  // (PostgreSQL dialect, see postgres_migrations.h) under an advisory lock, so instances
  // starting together apply each one once. kInvalidArgument for a bad pool size or an empty
  // URL; kUnavailable when the server cannot be reached; kInternal for a failing migration.
  static StatusOr<std::unique_ptr<PostgresDb>> Open(const std::string& url, int pool_size,
                                                    const std::vector<EmbeddedFile>& migrations);

  static constexpr int kAttempts = 3;

  // The pool's counters with the commits (one write transaction each).
  DatabasePoolStats PoolStats() const override {
    DatabasePoolStats stats = pool_.Stats();
    stats.write_transactions_total = stats.commits_total = commits_.load();
    return stats;
  }

 protected:
  Status RunRead(const Body& body) override;
  Status RunWrite(const Body& body) override;
  // Outside BEGIN ... COMMIT: each statement commits by itself. Runs `body` once more on a
  // fresh connection when the connection was lost (WriteOneStatementAsync's contract).
  void RunOneStatementAsync(Body body, std::function<void(Status)> done) override;

 private:
  PostgresDb() = default;
  static bool IsRetryable(const std::string& sqlstate);

  SqlPool<PostgresConnection> pool_;
  std::atomic<uint64_t> commits_{0};  // write transactions committed
};

}  // namespace countersign
