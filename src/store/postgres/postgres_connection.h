// PostgresConnection: SqlConnection over one libpq PGconn and the prepared statements it caches,
// with PostgreSQL errors turned into Status. The stores' SQL is written with `?N` placeholders,
// translated once to `$N` when a statement is first prepared on a connection.
//
// Thread-compatible: a connection (and every statement borrowed from it) is used by one thread
// at a time; PostgresDb hands connections out from a pool to guarantee that.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/sql/sql_connection.h"

namespace countersign {

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct PgConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

// Maps a SQLSTATE to a Status code: 23505 (unique violation) -> kConflict; 40001
// (serialization failure), 40P01 (deadlock), class 08 (connection), 53300 (too many
// connections), 57P01..57P03 (shutdown) -> kUnavailable; anything else -> kInternal.
Code PostgresCode(std::string_view sqlstate);

// The Status of a failed command: `result` may be null (out of memory, lost connection).
// The message carries PostgreSQL's text and, for constraint violations, the constraint name.
Status PostgresStatus(PGconn* conn, const PGresult* result, std::string_view context);

// `sql` with every `?N` outside quotes replaced by `$N`. `referenced` (if not null) gets one
// entry per parameter up to the highest N, true for those that appear.
std::string TranslatePlaceholders(std::string_view sql, std::vector<bool>* referenced);

// SqlConnection over one libpq connection and the statements it prepares (PQprepare, on first
// run, named "cs_<n>", cached by SQL text). Statements keep every row of their result; Step
// walks them.
class PostgresConnection final : public SqlConnection {
 public:
  // Connects to `url` (a postgres:// URI or a key=value string; connect_timeout defaults to
  // 10 s). kUnavailable when the server cannot be reached.
  static StatusOr<std::unique_ptr<PostgresConnection>> Open(const std::string& url);

  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  StatusOr<SqlStatement> Prepare(const std::string& sql) override;
  Status Exec(const std::string& sql) override;
  int64_t Changes() const override { return changes_; }
  // A transaction-scoped advisory lock: pg_advisory_xact_lock(space, hashtext(key)).
  Status LockKey(int space, std::string_view key) override;
  const SqlDialect& dialect() const override;

  // The SQLSTATE of the most recent failed command ("" when none failed yet).
  const std::string& LastSqlState() const { return last_sqlstate_; }
  void ClearLastSqlState() { last_sqlstate_.clear(); }
  // True inside BEGIN ... COMMIT (also when the transaction failed).
  bool InTransaction() const;
  void RollbackIfOpen() override;
  // Reconnects when the connection was lost (dropping the statement cache). kUnavailable if
  // the server cannot be reached.
  Status EnsureConnected();
  // True when libpq has noticed that the connection is gone.
  bool IsBroken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }
  PGconn* raw() const { return conn_.get(); }

 private:
  class Prepared;
  explicit PostgresConnection(PgConn conn);
  // Records the outcome of a command: the changed-row count, or the error's SQLSTATE.
  Status Finish(const PGresult* result, std::string_view context);

  PgConn conn_;
  std::unordered_map<std::string, std::unique_ptr<Prepared>> statements_;
  int64_t changes_ = 0;
  int next_statement_ = 0;
  std::string last_sqlstate_;
};

}  // namespace countersign
