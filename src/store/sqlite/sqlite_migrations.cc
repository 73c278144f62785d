#include "store/sqlite/sqlite_migrations.h"

#include <algorithm>
#include <string>

namespace countersign {
namespace {

struct Migration {
  int64_t version = 0;
  const EmbeddedFile* file = nullptr;
};

// The leading digits of "0001_initial.sql", or an error for a badly named file.
StatusOr<int64_t> VersionOf(std::string_view name) {
  size_t digits = 0;
  while (digits < name.size() && digits < 18 && name[digits] >= '0' && name[digits] <= '9') {
    ++digits;
  }
  if (digits == 0 || digits >= name.size() || name[digits] != '_') {
    return Internal("migration file name must start with a number and '_': " + std::string(name));
  }
  return std::stoll(std::string(name.substr(0, digits)));
}

StatusOr<std::vector<Migration>> Ordered(const std::vector<EmbeddedFile>& files) {
  std::vector<Migration> migrations;
  for (const EmbeddedFile& file : files) {
    CS_ASSIGN_OR_RETURN(int64_t version, VersionOf(file.name));
    migrations.push_back({version, &file});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return Internal("two migrations share version " + std::to_string(migrations[i].version));
    }
  }
  return migrations;
}

StatusOr<bool> IsApplied(SqliteConnection& connection, int64_t version) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1"));
  stmt.Bind(1, version);
  return stmt.Step();
}

// Applies one migration unless it is already recorded; the caller has begun a transaction.
Status ApplyOne(SqliteConnection& connection, const Migration& migration) {
  CS_ASSIGN_OR_RETURN(bool applied, IsApplied(connection, migration.version));
  if (applied) return Status::Ok();
  Status status = connection.Exec(std::string(migration.file->contents));
  if (!status.ok()) {
    return Internal("migration " + std::string(migration.file->name) +
                    " failed: " + status.message());
  }
  CS_ASSIGN_OR_RETURN(
      auto insert, connection.Prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                                      "VALUES (?1, ?2, CAST(strftime('%s', 'now') AS INTEGER))"));
  insert.Bind(1, migration.version).Bind(2, migration.file->name);
  return insert.Run();
}

}  // namespace

Status ApplySqliteMigrations(SqliteConnection& connection, const std::vector<EmbeddedFile>& files) {
  CS_ASSIGN_OR_RETURN(std::vector<Migration> migrations, Ordered(files));
  CS_RETURN_IF_ERROR(
      connection.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                      " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                      " applied_at INTEGER NOT NULL)"));
  for (const Migration& migration : migrations) {
    CS_ASSIGN_OR_RETURN(bool applied, IsApplied(connection, migration.version));
    if (applied) continue;
    CS_RETURN_IF_ERROR(connection.Exec("BEGIN IMMEDIATE"));
    Status status = ApplyOne(connection, migration);
    if (status.ok()) status = connection.Exec("COMMIT");
    if (!status.ok()) {
      if (sqlite3_get_autocommit(connection.raw()) == 0) (void)connection.Exec("ROLLBACK");
      return status;
    }
  }
  return Status::Ok();
}

StatusOr<std::vector<int64_t>> AppliedSqliteMigrations(SqliteConnection& connection) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("SELECT version FROM schema_migrations ORDER BY version"));
  std::vector<int64_t> versions;
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    versions.push_back(stmt.Int(0));
  }
  return versions;
}

}  // namespace countersign
