#include "store/postgres/postgres_stores.h"

#include <memory>

#include "store/postgres/postgres_db.h"
#include "store/sql/sql_migrations.h"
#include "store/sql/sql_stores.h"

namespace countersign {

StatusOr<Stores> OpenPostgresStores(const std::string& url, int pool_size) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<PostgresDb> db,
                      PostgresDb::Open(url, pool_size, sql_migrations::Files()));
  return MakeSqlStores(std::move(db));
}

bool IsPostgresUrl(const std::string& database) {
  return database.rfind("postgres://", 0) == 0 || database.rfind("postgresql://", 0) == 0;
}

}  // namespace countersign
