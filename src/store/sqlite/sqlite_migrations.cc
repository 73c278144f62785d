#include "store/sqlite/sqlite_migrations.h"

#include "store/sql/sql_migration_runner.h"

namespace countersign {

Status ApplySqliteMigrations(SqliteConnection& connection, const std::vector<EmbeddedFile>& files) {
  // BEGIN IMMEDIATE takes the write lock: one process migrates at a time.
  return ApplyMigrations(connection, files, MigrationRules{{"BEGIN IMMEDIATE"}, nullptr});
}

StatusOr<std::vector<int64_t>> AppliedSqliteMigrations(SqliteConnection& connection) {
  return AppliedMigrations(connection);
}

}  // namespace countersign
