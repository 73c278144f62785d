// SqliteGroupCommit: commits concurrent write transactions together. Each Write call queues its
// body; the caller at the head of the queue becomes the leader, borrows one pooled connection
// and runs the bodies queued so far (up to max_batch) as one batch (RunSqliteWriteBatch: one
// BEGIN IMMEDIATE, a savepoint each, one COMMIT, so one WAL sync for all of them). The others
// wait until their batch is done; while a batch commits, the next one forms behind it. A lone
// writer commits at once: nothing waits for company.
//
// A caller's Run returns only after the COMMIT of its batch (or with its own error); what it
// sees is what a transaction of its own would give (SqlDatabase::Write), except that a body
// may run on the leader's thread.
//
// Thread-safe: any number of threads may call Run at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "store/sql/sql_connection.h"
#include "store/sql/sql_pool.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

// The group commit's counters since start. A value type.
struct SqliteCommitStats {
  uint64_t transactions = 0;  // logical write transactions committed
  uint64_t commits = 0;       // COMMITs (each one WAL sync) that carried them
  uint64_t batches = 0;       // batches run (a batch whose members all failed commits nothing)
};

class SqliteGroupCommit {
 public:
  // Borrows its connection for each batch from `pool`, which must outlive it. `max_batch`
  // (>= 1) bounds the transactions of one batch, so one COMMIT's wait stays bounded.
  SqliteGroupCommit(SqlPool<SqliteConnection>& pool, int max_batch);
  SqliteGroupCommit(const SqliteGroupCommit&) = delete;
  SqliteGroupCommit& operator=(const SqliteGroupCommit&) = delete;

  // Runs `body` as one logical transaction of the next batch and returns once that batch has
  // committed: the body's error (its writes rolled back alone), or the driver's (BEGIN busy
  // after the busy timeout, COMMIT failed: every member gets it), or OK. An exception out of
  // `body` is rethrown here. kInternal when called from inside a body (a nested write would
  // wait for itself).
  Status Run(const std::function<Status(SqlConnection&)>& body);

  SqliteCommitStats Stats() const;

 private:
  struct Writer;

  SqlPool<SqliteConnection>& pool_;
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::deque<Writer*> queue_;  // waiting and running writers, leader first; guarded by mu_
  std::thread::id leader_;     // the thread running a batch now; guarded by mu_
  SqliteCommitStats stats_;    // guarded by mu_
};

}  // namespace countersign
