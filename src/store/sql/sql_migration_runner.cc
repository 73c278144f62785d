#include "store/sql/sql_migration_runner.h"

#include <algorithm>
#include <ctime>
#include <set>

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

StatusOr<bool> IsApplied(SqlConnection& connection, int64_t version) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?1"));
  stmt.Bind(1, version);
  return stmt.Step();
}

// Runs `body` inside the rules' transaction; rolls back on error.
Status InTransaction(SqlConnection& connection, const MigrationRules& rules,
                     const std::function<Status()>& body) {
  Status status = Status::Ok();
  for (const std::string& sql : rules.begin) {
    if (status.ok()) status = connection.Exec(sql);
  }
  if (status.ok()) status = body();
  if (status.ok()) status = connection.Exec("COMMIT");
  if (!status.ok()) connection.RollbackIfOpen();
  return status;
}

// Applies one migration unless another process did first; inside InTransaction.
Status ApplyOne(SqlConnection& connection, const MigrationRules& rules,
                const Migration& migration) {
  CS_ASSIGN_OR_RETURN(bool already, IsApplied(connection, migration.version));
  if (already) return Status::Ok();
  std::string_view text = migration.file->contents;
  Status status = connection.Exec(rules.rewrite ? rules.rewrite(text) : std::string(text));
  if (!status.ok()) {
    return Internal("migration " + std::string(migration.file->name) +
                    " failed: " + status.message());
  }
  CS_ASSIGN_OR_RETURN(auto insert,
                      connection.Prepare("INSERT INTO schema_migrations (version, name, "
                                         "applied_at) VALUES (?1, ?2, ?3)"));
  insert.Bind(1, migration.version)
      .Bind(2, migration.file->name)
      .Bind(3, static_cast<int64_t>(std::time(nullptr)));
  return insert.Run();
}

}  // namespace

Status ApplyMigrations(SqlConnection& connection, const std::vector<EmbeddedFile>& files,
                       const MigrationRules& rules) {
  CS_ASSIGN_OR_RETURN(std::vector<Migration> migrations, Ordered(files));
  CS_RETURN_IF_ERROR(InTransaction(connection, rules, [&] {
    return connection.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY,"
        " name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  }));
  CS_ASSIGN_OR_RETURN(std::vector<int64_t> done, AppliedMigrations(connection));
  std::set<int64_t> applied(done.begin(), done.end());
  for (const Migration& migration : migrations) {
    if (applied.count(migration.version) != 0) continue;
    CS_RETURN_IF_ERROR(
        InTransaction(connection, rules, [&] { return ApplyOne(connection, rules, migration); }));
  }
  return Status::Ok();
}

StatusOr<std::vector<int64_t>> PendingMigrations(SqlConnection& connection,
                                                 const std::vector<EmbeddedFile>& files) {
  CS_ASSIGN_OR_RETURN(std::vector<Migration> migrations, Ordered(files));
  CS_ASSIGN_OR_RETURN(std::vector<int64_t> done, AppliedMigrations(connection));
  std::set<int64_t> applied(done.begin(), done.end());
  std::vector<int64_t> pending;
  for (const Migration& migration : migrations) {
    if (applied.count(migration.version) == 0) pending.push_back(migration.version);
  }
  return pending;
}

StatusOr<std::vector<int64_t>> AppliedMigrations(SqlConnection& connection) {
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
