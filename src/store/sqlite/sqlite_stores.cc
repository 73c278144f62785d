#include "store/sqlite/sqlite_stores.h"

#include <memory>

#include "core/log.h"
#include "store/sql/sql_migrations.h"
#include "store/sql/sql_stores.h"
#include "store/sqlite/sqlite_commit_watch.h"
#include "store/sqlite/sqlite_db.h"

namespace countersign {

StatusOr<Stores> OpenSqliteStores(const std::string& path, int pool_size) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db,
                      SqliteDb::Open(path, pool_size, sql_migrations::Files()));
  Stores stores = MakeSqlStores(std::move(db));
  if (path != ":memory:") {  // a file, in WAL mode now (or a URI that may not be)
    StatusOr<std::unique_ptr<SqliteCommitWatch>> watch = SqliteCommitWatch::Open(path);
    if (watch.ok()) {
      stores.commit_watch = std::move(watch).value();
    } else {  // the server works without: every authentication reads
      log::Warn("sqlite", "no commit watch: authentication reads are not cached",
                {{"error", watch.status().message()}});
    }
  }
  return stores;
}

}  // namespace countersign
