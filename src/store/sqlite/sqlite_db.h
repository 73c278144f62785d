// SqliteDb: SqlDatabase over one SQLite database (a file in WAL mode, or a private in-memory
// database), a fixed pool of connections for reads and one more for writes. Concurrent writes are
// committed together (SqliteGroupCommit: one BEGIN IMMEDIATE ... COMMIT and one WAL sync per batch,
// each write in its own savepoint; WriteAsync returns at once and its batch runs on the committer
// thread); a batch waits for SQLite's write lock (another process) up to the 5 s busy timeout, then
// its writes get kUnavailable. Reads run on pooled connections as they come. A file database is
// checkpointed by a thread of its own (SqliteCheckpointer), not by the committing connection.
//
// Thread-safe (see SqlDatabase).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/sql/sql_database.h"
#include "store/sql/sql_pool.h"
#include "store/sqlite/sqlite_checkpointer.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_group_commit.h"

namespace countersign {

class SqliteDb final : public SqlDatabase {
 public:
  // Opens `path` (a file, or ":memory:" for a fresh in-memory database shared by all of this
  // object's connections and freed with it), switches it to WAL mode, applies the pending
  // `migrations` in name order and opens `pool_size` (>= 1) connections for reads, one for the
  // group commit's writes and, for a file, one for the checkpointer.
  // kInvalidArgument for pool_size < 1; kInternal/kUnavailable for database errors.
  static StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path, int pool_size,
                                                  const std::vector<EmbeddedFile>& migrations);

  // The pool's counters with the group commit's.
  DatabasePoolStats PoolStats() const override {
    DatabasePoolStats stats = pool_.Stats();
    const SqliteCommitStats commits = group_commit_->Stats();
    stats.write_transactions_total = commits.transactions;
    stats.commits_total = commits.commits;
    return stats;
  }
  // How many write transactions were committed, in how many COMMITs.
  SqliteCommitStats CommitStats() const { return group_commit_->Stats(); }

  // The most write transactions one COMMIT carries.
  static constexpr int kMaxWriteBatch = 64;
  // How often the checkpointer copies the WAL into the database file, and the WAL size (pages)
  // past which the committing connection checkpoints itself (a backstop for when the
  // checkpointer trails an unbroken write load; SQLite's default is 1,000). A checkpoint copies
  // each page once however often it changed since the last one: every 250 ms rather than 50,
  // server CPU per refresh fell ~176-196 -> ~168-173 us (bench/RESULTS.md).
  static constexpr std::chrono::milliseconds kCheckpointInterval{250};
  static constexpr int kWriterCheckpointPages = 16384;
  // The writer's page cache, in SQLite's negative-KiB form (its default is -2000): the writes'
  // index pages are spread over the whole database, and a miss is a read of the WAL or file.
  static constexpr int kWriterCacheKib = -32768;

 protected:
  Status RunRead(const Body& body) override;
  Status RunWrite(const Body& body) override;
  // Queued for the group commit's committer thread; `done` runs there after the COMMIT.
  void RunWriteAsync(Body body, std::function<void(Status)> done) override;

 private:
  SqliteDb() = default;

  SqlPool<SqliteConnection> pool_;
  std::unique_ptr<SqliteGroupCommit> group_commit_;   // with a connection of its own
  std::unique_ptr<SqliteCheckpointer> checkpointer_;  // file databases only; stopped first
};

}  // namespace countersign
