#include "store/sqlite/sqlite_write_batch.h"

#include <string>
#include <vector>

namespace countersign {
namespace {

constexpr int kMaxTransactions = 3;  // per batch, when SQLite aborts one and bodies run again

Status RunCached(SqliteConnection& connection, const std::string& sql) {
  CS_ASSIGN_OR_RETURN(SqlStatement statement, connection.Prepare(sql));
  return statement.Run();
}

Status RunBody(SqliteConnection& connection, SqliteBatchMember& member) {
  member.thrown = nullptr;
  try {
    return (*member.body)(connection);
  } catch (...) {
    member.thrown = std::current_exception();
    return Internal("sqlite: a write transaction threw");
  }
}

// Runs one member inside a savepoint: released when the body succeeds, rolled back to (and
// released) when it fails. When that rollback fails too, the whole transaction is rolled back,
// which the caller notices as !InTransaction().
Status RunInSavepoint(SqliteConnection& connection, SqliteBatchMember& member) {
  CS_RETURN_IF_ERROR(RunCached(connection, "SAVEPOINT cs_member"));
  Status status = RunBody(connection, member);
  if (!connection.InTransaction()) return status;
  if (status.ok()) {
    status = RunCached(connection, "RELEASE cs_member");
    if (status.ok()) return status;
  }
  if (!RunCached(connection, "ROLLBACK TO cs_member").ok() ||
      !RunCached(connection, "RELEASE cs_member").ok()) {
    connection.RollbackIfOpen();
  }
  return status;
}

// Runs `pending` in one transaction and commits what succeeded. Returns the members to run
// again: those whose writes SQLite discarded when it aborted the transaction, and those not
// yet run at that point.
std::vector<SqliteBatchMember*> RunTransaction(SqliteConnection& connection,
                                               const std::vector<SqliteBatchMember*>& pending,
                                               SqliteBatchOutcome& outcome) {
  Status begun = RunCached(connection, "BEGIN IMMEDIATE");
  if (!begun.ok()) {
    connection.RollbackIfOpen();
    for (SqliteBatchMember* member : pending) member->status = begun;
    return {};
  }
  const bool alone = pending.size() == 1;
  int64_t succeeded = 0;
  for (size_t i = 0; i < pending.size(); ++i) {
    SqliteBatchMember& member = *pending[i];
    member.status = alone ? RunBody(connection, member) : RunInSavepoint(connection, member);
    if (member.status.ok()) ++succeeded;
    if (alone || connection.InTransaction()) continue;
    // SQLite rolled the whole transaction back: what succeeded so far is lost.
    std::vector<SqliteBatchMember*> again;
    for (size_t j = 0; j <= i; ++j) {
      if (pending[j]->status.ok()) again.push_back(pending[j]);
    }
    again.insert(again.end(), pending.begin() + static_cast<std::ptrdiff_t>(i) + 1, pending.end());
    return again;
  }
  if (succeeded == 0) {
    connection.RollbackIfOpen();
    return {};
  }
  Status committed = RunCached(connection, "COMMIT");
  if (!committed.ok()) {
    connection.RollbackIfOpen();
    for (SqliteBatchMember* member : pending) {
      if (member->status.ok()) member->status = committed;
    }
    return {};
  }
  ++outcome.commits;
  outcome.transactions += succeeded;
  return {};
}

}  // namespace

SqliteBatchOutcome RunSqliteWriteBatch(SqliteConnection& connection,
                                       std::span<SqliteBatchMember* const> members) {
  SqliteBatchOutcome outcome;
  std::vector<SqliteBatchMember*> pending(members.begin(), members.end());
  for (int round = 1; !pending.empty(); ++round) {
    if (round > kMaxTransactions) {
      for (SqliteBatchMember* member : pending) {
        member->status = Status(Code::kUnavailable,
                                "The database rolled back this write with others; try again.");
      }
      break;
    }
    pending = RunTransaction(connection, pending, outcome);
  }
  return outcome;
}

}  // namespace countersign
