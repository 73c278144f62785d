// SqlDatabaseProbe: the DatabaseProbe of a SqlDatabase (either driver), over the tables of
// src/store/sql/migrations. Thread-safe (see SqlDatabase).
#pragma once

#include <memory>
#include <vector>

#include "core/embedded_file.h"
#include "store/database_probe.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlDatabaseProbe final : public DatabaseProbe {
 public:
  // `migrations`: the schema files this binary expects applied (sql_migrations::Files()); they
  // must outlive the probe.
  SqlDatabaseProbe(std::shared_ptr<SqlDatabase> db, const std::vector<EmbeddedFile>& migrations)
      : db_(std::move(db)), migrations_(migrations) {}

  Status Ping() override;
  Status CheckMigrations() override;
  DatabasePoolStats Pool() const override { return db_->PoolStats(); }
  StatusOr<std::vector<DurableQueueStats>> Queues(int64_t now) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
  const std::vector<EmbeddedFile>& migrations_;
};

}  // namespace countersign
