// SqliteConnection and SqliteStatement: RAII wrappers around one sqlite3* handle and the
// prepared statements it caches, with SQLite result codes turned into Status.
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

namespace countersign {

// Maps an SQLite result code to a Status: SQLITE_BUSY/SQLITE_LOCKED -> kUnavailable, a
// UNIQUE/PRIMARY KEY violation -> kConflict, anything else -> kInternal. The message carries
// SQLite's own text (e.g. "UNIQUE constraint failed: accounts.email"); `db` may be null.
Status SqliteStatus(sqlite3* db, int rc, std::string_view context);

// A cached prepared statement, borrowed from its connection. Binds are 1-based, columns
// 0-based (as in SQLite). The statement is reset and its bindings cleared when this object is
// destroyed, so it holds no read snapshot beyond its scope. Move-only.
class SqliteStatement {
 public:
  // `in_use` is the cache's flag for `stmt`; it is set while this object lives.
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  SqliteStatement& Bind(int index, bool value) { return Bind(index, int64_t{value ? 1 : 0}); }
  SqliteStatement& BindNull(int index);

  // Advances to the next row: true when a row is available, false when done (the statement
  // is then reset, keeping its bindings, so it can be rebound and run again).
  StatusOr<bool> Step();
  // Runs a statement that returns no rows (or ignores them) to completion.
  Status Run();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  bool Bool(int column) const { return Int(column) != 0; }
  std::string Text(int column) const;
  // The number of parameters in the statement (the highest ?N).
  int ParameterCount() const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;  // owned by the connection's cache; null after a move
  bool* in_use_;        // the cache's flag for stmt_
  Status bind_error_;   // first failed Bind, reported by Step/Run
};

// One open database handle plus its statement cache. Move-only; closes on destruction.
class SqliteConnection {
 public:
  // Opens `uri` (SQLITE_OPEN_URI) read-write, creating it if needed, and applies the
  // per-connection settings: busy_timeout 5000 ms, foreign_keys ON, synchronous NORMAL.
  static StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& uri);

  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // A statement for `sql`, prepared once per connection and reused afterwards. Only one
  // SqliteStatement per SQL text may be alive at a time (kInternal otherwise).
  StatusOr<SqliteStatement> Prepare(const std::string& sql);
  // Runs one or more SQL statements without results (DDL, PRAGMA, BEGIN/COMMIT).
  Status Exec(const std::string& sql);
  // Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  int64_t Changes() const;
  sqlite3* raw() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    std::unique_ptr<bool> in_use = std::make_unique<bool>(false);  // stable address
  };
  std::unordered_map<std::string, CachedStatement> statements_;
};

}  // namespace countersign
