// The migration runner both drivers use: applies the numbered schema files (sql_migrations.h)
// that have not run yet, once each, in version order, each in its own transaction together
// with its row in schema_migrations(version, name, applied_at). Works on one connection the
// caller owns for the duration of the call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/sql/sql_connection.h"

namespace countersign {

// What differs between databases when migrating.
struct MigrationRules {
  // Statements that begin a migration's transaction and keep every other process from
  // migrating until it ends (e.g. BEGIN IMMEDIATE; or BEGIN plus an advisory lock).
  std::vector<std::string> begin;
  // A schema file's text as this database reads it (null: unchanged).
  std::function<std::string(std::string_view)> rewrite;
};

// Applies every file of `files` whose version (the leading digits of its name, e.g.
// "0002_grants.sql" -> 2) is not yet recorded, lowest version first; each version is checked
// again inside its transaction, so processes starting together apply it once. A failing
// migration is rolled back and stops the run (kInternal naming the file). kInternal also for
// a name without a version or two files with the same version.
Status ApplyMigrations(SqlConnection& connection, const std::vector<EmbeddedFile>& files,
                       const MigrationRules& rules);

// The versions of `files` not recorded in schema_migrations, ascending (empty: schema current).
// kInternal for badly named files, as ApplyMigrations.
StatusOr<std::vector<int64_t>> PendingMigrations(SqlConnection& connection,
                                                 const std::vector<EmbeddedFile>& files);

// The versions recorded in schema_migrations, ascending.
StatusOr<std::vector<int64_t>> AppliedMigrations(SqlConnection& connection);

}  // namespace countersign
