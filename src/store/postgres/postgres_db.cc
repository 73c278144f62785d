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
  db->idle_.push_back(std::move(first));
  for (int i = 1; i < pool_size; ++i) {
    CS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresConnection> connection,
                        PostgresConnection::Open(url));
    db->idle_.push_back(std::move(connection));
  }
  return db;
}

PostgresDb::~PostgresDb() = default;

std::unique_ptr<PostgresConnection> PostgresDb::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  std::unique_ptr<PostgresConnection> connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void PostgresDb::Release(std::unique_ptr<PostgresConnection> connection) {
  RollbackIfOpen(*connection);  // never hand out a connection inside a transaction
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

void PostgresDb::RollbackIfOpen(PostgresConnection& connection) {
  if (connection.InTransaction()) (void)connection.Exec("ROLLBACK");
}

bool PostgresDb::IsRetryable(const std::string& sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

}  // namespace countersign
