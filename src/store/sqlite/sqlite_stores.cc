#include "store/sqlite/sqlite_stores.h"

#include <memory>

#include "store/sql/sql_migrations.h"
#include "store/sql/sql_stores.h"
#include "store/sqlite/sqlite_db.h"

namespace countersign {

StatusOr<Stores> OpenSqliteStores(const std::string& path, int pool_size) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db,
                      SqliteDb::Open(path, pool_size, sql_migrations::Files()));
  return MakeSqlStores(std::move(db));
}

}  // namespace countersign
