// SqlConnection: the small interface the stores are written against, one implementation per
// driver (SqliteConnection, PostgresConnection). It prepares and caches statements, runs plain
// SQL, and answers the few questions whose SQL differs between the databases (SqlDialect).
//
// Thread-compatible: a connection (and every statement borrowed from it) is used by one thread
// at a time; a SqlDatabase's pool guarantees that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/sql/sql_statement.h"

namespace countersign {

// What the stores' SQL needs from the database beyond what both databases write alike.
class SqlDialect {
 public:
  virtual ~SqlDialect() = default;
  // Appended to a SELECT inside a write transaction to lock the rows it reads until commit:
  // " FOR UPDATE" where rows can be locked, "" where every writer is serialised anyway.
  virtual std::string_view LockRows() const = 0;
  // Appended to a SELECT that claims work (rows of `table_alias`): locks them and skips rows
  // another transaction is claiming (" FOR UPDATE OF d SKIP LOCKED"), or "" where writers are
  // serialised.
  virtual std::string ClaimRows(std::string_view table_alias) const = 0;
  // True where a WITH clause may hold an INSERT/UPDATE ... RETURNING whose rows feed the main
  // statement, so that several writes are one statement (PostgreSQL); false where they must be
  // separate statements (SQLite).
  virtual bool WritesInCtes() const = 0;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  // A statement for `sql` (?N placeholders), prepared once per connection and reused. Only one
  // SqlStatement per SQL text may be borrowed at a time (kInternal otherwise).
  virtual StatusOr<SqlStatement> Prepare(const std::string& sql) = 0;
  // Runs one or more SQL statements without parameters or results (DDL, BEGIN/COMMIT).
  virtual Status Exec(const std::string& sql) = 0;
  // Rows changed by the most recent INSERT/UPDATE/DELETE on this connection.
  virtual int64_t Changes() const = 0;
  // Until the current transaction ends, no other transaction may take the lock of
  // (`space`, `key`): orders work that computes "the next number" of something (the
  // sequence of a callback URL's deliveries, of a request's audit trail). A no-op where every
  // writer is serialised.
  virtual Status LockKey(int space, std::string_view key) = 0;
  // Rolls back the open transaction, if any (a pooled connection comes back outside one).
  virtual void RollbackIfOpen() = 0;
  virtual const SqlDialect& dialect() const = 0;
};

// A unique-key violation (kConflict) reported by either driver names the violated unique
// index as "(constraint <name>)"; true when `status` is one on `index_name`.
bool IsUniqueViolation(const Status& status, std::string_view index_name);

}  // namespace countersign
