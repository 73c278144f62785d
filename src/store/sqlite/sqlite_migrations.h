// The SQLite migration runner: the numbered files of sql_migrations::Files() are applied once
// each, in order, and recorded in schema_migrations(version, name, applied_at). Functions over one
// connection; the caller owns it for the duration of the call.
#pragma once

#include <cstdint>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

// Applies every file of `files` whose version (the leading digits of its name, e.g.
// "0002_grants.sql" -> 2) is not yet recorded, lowest version first, each in its own
// BEGIN IMMEDIATE transaction together with its schema_migrations row (sql_migration_runner.h); a
// failing migration is rolled back and stops the run (kInternal naming the file). kInternal also
// for a name without a version or two files with the same version. Safe against a concurrent run by
// another process: each version is re-checked inside its transaction.
Status ApplySqliteMigrations(SqliteConnection& connection, const std::vector<EmbeddedFile>& files);

// The versions recorded in schema_migrations, ascending.
StatusOr<std::vector<int64_t>> AppliedSqliteMigrations(SqliteConnection& connection);

}  // namespace countersign
