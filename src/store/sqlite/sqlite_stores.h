// The SQLite backend: opens the database file (WAL mode), applies the numbered migrations in
// src/store/sql/migrations/ that have not run yet, and returns every store over it.
// Thread-safe: connections come from a small pool; concurrent writes are committed together
// (SqliteDb: group commit, synchronous = FULL).
#pragma once

#include <string>

#include "core/status.h"
#include "store/stores.h"

namespace countersign {

// `path` is a file path, or ":memory:" for a private in-memory database (tests). A file's
// stores come with a commit watch (SqliteCommitWatch; without one, logged as a warning, when it
// cannot be had); an in-memory database's never.
// `pool_size` is the number of connections kept open (>= 1).
StatusOr<Stores> OpenSqliteStores(const std::string& path, int pool_size = 4);

}  // namespace countersign
