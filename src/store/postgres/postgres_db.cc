#include "store/postgres/postgres_db.h"

#include "store/postgres/postgres_migrations.h"

namespace countersign {

StatusOr<std::unique_ptr<PostgresDb>> PostgresDb::Open(
    const std::string& url, int pool_size, const std::vector<EmbeddedFile>& migrations) {
  if (pool_size < 1) return InvalidArgument("pool_size must be at least 1", "pool_size");
  if (url.empty()) return InvalidArgument("database URL is empty", "database");
  std::unique_ptr<PostgresDb> db(new PostgresDb());
  CS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresConnection> first, PostgresConnection::Open(url));
  CS_RETURN_IF_ERROR(ApplyPostgresMigrations(*first, migrations));
  db->pool_.Add(std::move(first));
  for (int i = 1; i < pool_size; ++i) {
    CS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresConnection> connection,
                        PostgresConnection::Open(url));
    db->pool_.Add(std::move(connection));
  }
  return db;
}

Status PostgresDb::RunRead(const Body& body) {
  SqlPool<PostgresConnection>::Lease lease(pool_);
  CS_RETURN_IF_ERROR(lease->EnsureConnected());
  Status status = body(*lease);
  // A pooled connection the server dropped (restart, failover) is only noticed when used;
  // reads are safe to run again on a fresh one.
  if (status.code() == Code::kUnavailable && lease->IsBroken()) {
    CS_RETURN_IF_ERROR(lease->EnsureConnected());
    return body(*lease);
  }
  return status;
}

Status PostgresDb::RunWrite(const Body& body) {
  SqlPool<PostgresConnection>::Lease lease(pool_);
  CS_RETURN_IF_ERROR(lease->EnsureConnected());
  for (int attempt = 1;; ++attempt) {
    Status begun = lease->Exec("BEGIN");
    if (!begun.ok() && lease->IsBroken()) {  // dropped while idle: nothing was written yet
      CS_RETURN_IF_ERROR(lease->EnsureConnected());
      begun = lease->Exec("BEGIN");
    }
    CS_RETURN_IF_ERROR(begun);
    lease->ClearLastSqlState();
    Status status = body(*lease);
    if (status.ok()) status = lease->Exec("COMMIT");
    if (status.ok()) {
      commits_.fetch_add(1, std::memory_order_relaxed);
      return status;
    }
    const std::string sqlstate = lease->LastSqlState();  // from this attempt only
    lease->RollbackIfOpen();
    if (attempt >= kAttempts || !IsRetryable(sqlstate)) return status;
  }
}

void PostgresDb::RunOneStatementAsync(Body body, std::function<void(Status)> done) {
  // A read's rules are this one's: no BEGIN ... COMMIT, and the body runs again on a fresh
  // connection when the old one was lost (the body is idempotent, WriteOneStatementAsync).
  Status status = RunRead(body);
  if (status.ok()) commits_.fetch_add(1, std::memory_order_relaxed);
  done(status);
}

bool PostgresDb::IsRetryable(const std::string& sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

}  // namespace countersign
