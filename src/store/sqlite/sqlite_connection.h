// SqliteConnection: SqlConnection over one sqlite3* handle and the prepared statements it
// caches, with SQLite result codes turned into Status. SQLite serialises every writer, so row
// locks and key locks are not needed (SqlDialect answers "").
//
// Thread-compatible: a connection (and every statement borrowed from it) is used by one thread
// at a time; SqliteDb hands connections out from a pool to guarantee that.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/sql/sql_connection.h"

namespace countersign {

// Maps an SQLite result code to a Status: SQLITE_BUSY/SQLITE_LOCKED -> kUnavailable, a
// UNIQUE/PRIMARY KEY violation -> kConflict, anything else -> kInternal. The message carries
// SQLite's own text (e.g. "UNIQUE constraint failed: accounts.email"), and a violation on one
// column also names the index by this schema's convention "(constraint accounts_email)";
// `db` may be null.
Status SqliteStatus(sqlite3* db, int rc, std::string_view context);

class SqliteConnection final : public SqlConnection {
 public:
  // Opens `uri` (SQLITE_OPEN_URI) read-write, creating it if needed, and applies the
  // per-connection settings: busy_timeout 5000 ms, foreign_keys ON, synchronous FULL (in WAL
  // mode every COMMIT syncs the WAL, so an acknowledged write survives power loss). With
  // `buffer_wal_writes`, through SqliteWalWriteBufferVfs(): what a transaction writes to the WAL
  // reaches the kernel in one write at its commit's sync. Such a connection also never spills
  // pages before its commit (`cache_spill = OFF`: a large transaction holds its dirty pages in
  // memory), and must keep synchronous at FULL or above and the spill off (both checked here,
  // nothing lowers them); URIs naming a VFS of their own (":memory:"'s memdb) keep it.
  static StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& uri,
                                                          bool buffer_wal_writes = false);

  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  StatusOr<SqlStatement> Prepare(const std::string& sql) override;
  Status Exec(const std::string& sql) override;
  int64_t Changes() const override;
  Status LockKey(int, std::string_view) override { return Status::Ok(); }
  const SqlDialect& dialect() const override;

  void RollbackIfOpen() override;
  // True while a transaction is open (SQLite may end one itself after some errors).
  bool InTransaction() const;
  sqlite3* raw() const { return db_; }

 private:
  class Prepared;
  explicit SqliteConnection(sqlite3* db);

  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Prepared>> statements_;
};

}  // namespace countersign
