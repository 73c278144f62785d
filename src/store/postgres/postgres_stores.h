// The PostgreSQL backend: connects a pool of `pool_size` connections to the database at `url`,
// applies the numbered migrations (the same files as SQLite, sql_migrations.h, see
// postgres_migrations.h) that have not run yet, and returns every store over that pool. Several
// server instances may open the same database: every "happens once" rule is enforced by the
// database. Thread-safe: connections come from the pool; each store method is one transaction.
#pragma once

#include <string>

#include "core/status.h"
#include "store/stores.h"

namespace countersign {

// `url` is a libpq connection URI (postgres://user:password@host:port/dbname?...) or a
// key=value connection string. kUnavailable when the server cannot be reached.
StatusOr<Stores> OpenPostgresStores(const std::string& url, int pool_size = 8);

// True when `database` names a PostgreSQL database (postgres:// or postgresql:// URI).
bool IsPostgresUrl(const std::string& database);

}  // namespace countersign
