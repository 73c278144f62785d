// Schema migrations for the PostgreSQL backend. Both backends run the same numbered files of
// src/store/sql/migrations/ (embedded; sql_migrations::Files()), written in a portable
// subset of SQL (TEXT/INTEGER/BIGINT, JSON as TEXT, 0/1 booleans, partial indexes,
// ON CONFLICT ... DO NOTHING/UPDATE). PostgresMigrationSql rewrites the few SQLite spellings
// that PostgreSQL reads differently. Each file is applied once, in version order, in its own
// transaction under an advisory lock, and recorded in schema_migrations(version, name,
// applied_at) as in SQLite, so several instances starting at once apply each file once.
// Functions over one connection; the caller owns it for the duration of the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/postgres/postgres_connection.h"

namespace countersign {

// The PostgreSQL text of a SQLite migration: `INTEGER PRIMARY KEY AUTOINCREMENT` becomes an
// identity column and BLOB becomes BYTEA (case-insensitive, outside quotes and comments);
// everything else is passed through unchanged.
std::string PostgresMigrationSql(std::string_view sqlite_sql);

// Applies every file of `files` whose version (the leading digits of its name) is not yet
// recorded, lowest first, each in its own transaction together with its schema_migrations
// row; a failing migration is rolled back and stops the run (kInternal naming the file).
// kInternal also for a name without a version or two files with the same version.
Status ApplyPostgresMigrations(PostgresConnection& connection,
                               const std::vector<EmbeddedFile>& files);

// The versions recorded in schema_migrations, ascending.
StatusOr<std::vector<int64_t>> AppliedPostgresMigrations(PostgresConnection& connection);

}  // namespace countersign
