#include "store/sqlite/sqlite_stores.h"

#include <memory>

#include "store/sql/sql_migrations.h"
#include "store/sql/sql_stores.h"
#include "store/sqlite/sqlite_commit_watch.h"
#include "store/sqlite/sqlite_db.h"

namespace countersign {

StatusOr<Stores> OpenSqliteStores(const std::string& path, int pool_size) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db,
                      SqliteDb::Open(path, pool_size, sql_migrations::Files()));
  Stores stores = MakeSqlStores(std::move(db));
  if (path != ":memory:") {  // a file, in WAL mode now
    CS_ASSIGN_OR_RETURN(stores.commit_watch, SqliteCommitWatch::Open(path));
  }
  return stores;
}

}  // namespace countersign
