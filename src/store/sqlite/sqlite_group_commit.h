// SqliteGroupCommit: commits concurrent write transactions together. Each write queues its
// body; whoever leads runs the bodies queued so far (up to max_batch) as one batch on the
// group commit's own connection (RunSqliteWriteBatch: one BEGIN IMMEDIATE, a savepoint each, one
// COMMIT, so one WAL sync for all of them); while a batch commits, the next one forms behind it.
//
// Two ways in:
// - Run (blocking): the caller waits until its batch has committed. A lone caller leads at
//   once on its own thread (nothing waits for company); others wait, and when the leader's own
//   write is done it hands the lead to the next blocked caller.
// - Submit (asynchronous): the caller returns at once; the group commit's own committer thread
//   runs the batch and calls `done` after the COMMIT. So an HTTP thread need not block per
//   write, and a batch is not bounded by how many threads are blocked in writes. When async
//   writes are at the head of the queue the committer leads (until the queue is empty), so a
//   blocking caller's thread is never kept leading other callers' work.
//
// Either way a caller learns its result only after the COMMIT of its batch (synced to disk), and
// what it sees is what a transaction of its own would give (SqlDatabase::Write), except that a
// body may run on another thread.
//
// Thread-safe: any number of threads may call Run and Submit at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>

#include "core/status.h"
#include "store/sql/sql_connection.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_write_batch.h"

namespace countersign {

// The group commit's counters since start. A value type.
struct SqliteCommitStats {
  uint64_t transactions = 0;  // logical write transactions committed
  uint64_t commits = 0;       // COMMITs (each one WAL sync) that carried them
  uint64_t batches = 0;       // batches run (a batch whose members all failed commits nothing)
};

class SqliteGroupCommit {
 public:
  using Body = std::function<Status(SqlConnection&)>;
  using Done = std::function<void(Status)>;

  // Runs every batch on `writer`, its own connection: SQLite drops a connection's page cache
  // whenever another connection committed since its last transaction, so one writer keeps the
  // pages its batches touch (a pooled one re-read them on every batch). `max_batch` (>= 1)
  // bounds the transactions of one batch, so one COMMIT's wait stays bounded. Starts the
  // committer thread.
  SqliteGroupCommit(std::unique_ptr<SqliteConnection> writer, int max_batch);
  // Runs what is still queued, then stops the committer thread. No Run may be in progress.
  ~SqliteGroupCommit();
  SqliteGroupCommit(const SqliteGroupCommit&) = delete;
  SqliteGroupCommit& operator=(const SqliteGroupCommit&) = delete;

  // Runs `body` as one logical transaction of the next batch and returns once that batch has
  // committed: the body's error (its writes rolled back alone), or the driver's (BEGIN busy
  // after the busy timeout, COMMIT failed: every member gets it), or OK. An exception out of
  // `body` is rethrown here. kInternal when called from inside a body (a nested write would
  // wait for itself). Called from a `done` callback it runs at once, as a batch of its own.
  Status Run(const Body& body);

  // Queues `body` like Run and returns at once; `done` is called exactly once, on the committer
  // thread, with what Run would have returned (an exception out of `body` becomes kInternal),
  // after the COMMIT of its batch. `done` must not throw; it may call Run (not from inside a
  // body) and Submit.
  void Submit(Body body, Done done);

  SqliteCommitStats Stats() const;

 private:
  struct Writer;

  // Runs batches while this thread leads and `self` (the leader's own write; null for the
  // committer) is not finished, then passes the lead on. Called and returns with mu_ held.
  void Lead(std::unique_lock<std::mutex>& lock, Writer* self);
  // Runs one batch from the head of the queue and finishes its writers (wakes the blocked
  // ones, calls the callbacks of the asynchronous ones with mu_ released).
  void RunBatch(std::unique_lock<std::mutex>& lock);
  // Runs `members` as one batch on writer_ with mu_ released (a write started by
  // one of their bodies is refused meanwhile) and counts it. Called and returns with mu_ held.
  void RunMembers(std::unique_lock<std::mutex>& lock, std::span<SqliteBatchMember* const> members);
  // Gives the lead to the head of the queue: the committer for an asynchronous write, the
  // blocked caller otherwise; or drops it when the queue is empty.
  void PassLead();
  void CommitterLoop();

  const std::unique_ptr<SqliteConnection> writer_;  // used only by the leader
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::deque<Writer*> queue_;    // waiting and running writers, head first; guarded by mu_
  bool leading_ = false;         // a thread leads (runs batches); guarded by mu_
  bool committer_turn_ = false;  // the lead was given to the committer; guarded by mu_
  bool stopping_ = false;        // guarded by mu_
  std::thread::id body_thread_;  // the thread running a batch's bodies now; guarded by mu_
  SqliteCommitStats stats_;      // guarded by mu_
  std::condition_variable committer_wake_;
  std::thread committer_;  // last: started once the rest is set up
};

}  // namespace countersign
