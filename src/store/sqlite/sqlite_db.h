// SqliteDb: SqlDatabase over one SQLite database (a file in WAL mode, or a private in-memory
// database) and a fixed pool of connections. Writes run inside BEGIN IMMEDIATE ... COMMIT;
// writers are serialised by SQLite's write lock, waited for up to the 5 s busy timeout (then
// kUnavailable).
//
// Thread-safe (see SqlDatabase).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/sql/sql_database.h"
#include "store/sql/sql_pool.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

class SqliteDb final : public SqlDatabase {
 public:
  // Opens `path` (a file, or ":memory:" for a fresh in-memory database shared by all of this
  // object's connections and freed with it), switches it to WAL mode, applies the pending
  // `migrations` in name order and opens `pool_size` (>= 1) connections.
  // kInvalidArgument for pool_size < 1; kInternal/kUnavailable for database errors.
  static StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path, int pool_size,
                                                  const std::vector<EmbeddedFile>& migrations);

  DatabasePoolStats PoolStats() const override { return pool_.Stats(); }

 protected:
  Status RunRead(const Body& body) override;
  Status RunWrite(const Body& body) override;

 private:
  SqliteDb() = default;

  SqlPool<SqliteConnection> pool_;
};

}  // namespace countersign
