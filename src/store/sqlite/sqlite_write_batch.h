// SqliteWriteBatch: the SQL of a group commit. Runs several logical write transactions (the
// bodies of concurrent SqlDatabase::Write calls) in order on one connection inside one
// BEGIN IMMEDIATE ... COMMIT, each in its own SAVEPOINT, so a body that fails is rolled back
// alone (ROLLBACK TO) while the others commit together with one WAL write and one sync.
//
// Thread-compatible: one batch runs on one connection on one thread (SqliteGroupCommit's
// leader); the members' callers wait until it has finished.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <span>

#include "core/status.h"
#include "store/sql/sql_connection.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

// One logical transaction of a batch: its body, and what it came to.
struct SqliteBatchMember {
  const std::function<Status(SqlConnection&)>* body = nullptr;
  // After RunSqliteWriteBatch: OK only when the body succeeded and its batch's COMMIT did; the
  // body's own error when it failed (its writes rolled back alone); the driver's error (BEGIN,
  // COMMIT) otherwise, given to every member of the transaction that failed.
  Status status;
  std::exception_ptr thrown;  // an exception out of the body (status is then kInternal)
};

// What one call did, for the commit counters.
struct SqliteBatchOutcome {
  int64_t commits = 0;       // successful COMMITs (1 unless SQLite aborted a transaction)
  int64_t transactions = 0;  // members whose writes were committed
};

// Runs every member of `members` once (in order), sets each status as described above and
// returns the counts. A body may run more than once (SqlDatabase::Write allows it): when a
// failing body made SQLite abort the whole transaction (I/O error, disk full), the bodies that
// had succeeded before it are run again in a fresh transaction (at most a few times; then they
// get kUnavailable). A batch of one member runs without a savepoint.
SqliteBatchOutcome RunSqliteWriteBatch(SqliteConnection& connection,
                                       std::span<SqliteBatchMember* const> members);

}  // namespace countersign
