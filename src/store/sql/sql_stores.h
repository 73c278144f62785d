// Every store, written once over SqlDatabase: the backends (OpenSqliteStores,
// OpenPostgresStores) open their database and call this.
#pragma once

#include <memory>

#include "store/sql/sql_database.h"
#include "store/stores.h"

namespace countersign {

// The stores over `db`, which they share; it closes when the last store is destroyed.
Stores MakeSqlStores(std::shared_ptr<SqlDatabase> db);

}  // namespace countersign
