// PostgresConnection and PostgresStatement: RAII wrappers around one libpq PGconn and the
// prepared statements it caches, with PostgreSQL errors turned into Status. The interface
// mirrors SqliteConnection/SqliteStatement so the two backends' stores read alike: SQL is
// written with SQLite's `?N` placeholders, translated once to `$N` when the statement is first
// prepared (PQprepare) on a connection, and cached by its SQL text.
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

// A cached statement as its connection knows it.
struct PostgresPrepared {
  std::string name;  // "cs_<n>" on this connection
  std::string sql;   // translated to $N
  int parameter_count = 0;
  std::vector<bool> referenced;  // by parameter: whether $N appears (SQLite allows gaps)
  bool prepared = false;         // PQprepare succeeded on this connection
  bool in_use = false;
};

class PostgresConnection;

// A cached statement borrowed from its connection, with its parameters. Binds are 1-based,
// columns 0-based (as in SqliteStatement); unbound parameters are NULL. The first Step runs it
// and keeps every row of the result; Step then walks them and returns false at the end (the
// statement may then be rebound and run again). Move-only.
class PostgresStatement {
 public:
  PostgresStatement(PostgresConnection* connection, PostgresPrepared* prepared);
  PostgresStatement(PostgresStatement&& other) noexcept;
  PostgresStatement& operator=(PostgresStatement&&) = delete;
  PostgresStatement(const PostgresStatement&) = delete;
  PostgresStatement& operator=(const PostgresStatement&) = delete;
  ~PostgresStatement();

  PostgresStatement& Bind(int index, std::string_view text);
  PostgresStatement& Bind(int index, const char* text) {
    return Bind(index, std::string_view(text));
  }
  PostgresStatement& Bind(int index, int64_t value);
  PostgresStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  PostgresStatement& Bind(int index, bool value) { return Bind(index, int64_t{value ? 1 : 0}); }
  PostgresStatement& BindNull(int index);

  // Runs the statement on the first call; true while a row is available.
  StatusOr<bool> Step();
  // Runs the statement (again), ignoring any rows.
  Status Run();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  bool Bool(int column) const { return Int(column) != 0; }
  std::string Text(int column) const;
  // The highest ?N in the statement.
  int ParameterCount() const;

 private:
  Status Execute();
  void SetParameter(int index, std::optional<std::string> value, Oid type);

  PostgresConnection* connection_;
  PostgresPrepared* prepared_;  // owned by the connection's cache; null after a move
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;  // 20 int8, 25 text, 0 for NULL (inferred by the server)
  PgResult result_;
  int row_ = -1;
  Status bind_error_;
};

// One open connection plus its statement cache. Move-only; closes on destruction.
class PostgresConnection {
 public:
  // Connects to `url` (a postgres:// URI or a key=value string; connect_timeout defaults to
  // 10 s). kUnavailable when the server cannot be reached.
  static StatusOr<std::unique_ptr<PostgresConnection>> Open(const std::string& url);

  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // A statement for `sql` (?N placeholders), prepared on first run and reused afterwards.
  // Only one PostgresStatement per SQL text may be alive at a time (kInternal otherwise).
  StatusOr<PostgresStatement> Prepare(const std::string& sql);
  // Runs one or more SQL statements without parameters (DDL, BEGIN/COMMIT).
  Status Exec(const std::string& sql);
  // Rows changed by the most recent INSERT/UPDATE/DELETE run on this connection.
  int64_t Changes() const { return changes_; }
  // The SQLSTATE of the most recent failed command ("" when none failed yet).
  const std::string& LastSqlState() const { return last_sqlstate_; }
  void ClearLastSqlState() { last_sqlstate_.clear(); }
  // True inside BEGIN ... COMMIT (also when the transaction failed).
  bool InTransaction() const;
  // Reconnects when the connection was lost (dropping the statement cache). kUnavailable if
  // the server cannot be reached.
  Status EnsureConnected();
  // True when libpq has noticed that the connection is gone.
  bool IsBroken() const { return PQstatus(conn_.get()) != CONNECTION_OK; }
  PGconn* raw() const { return conn_.get(); }

 private:
  friend class PostgresStatement;
  explicit PostgresConnection(PgConn conn) : conn_(std::move(conn)) {}
  // Records the outcome of a command: the changed-row count, or the error's SQLSTATE.
  Status Finish(const PGresult* result, std::string_view context);

  PgConn conn_;
  std::unordered_map<std::string, std::unique_ptr<PostgresPrepared>> statements_;
  int64_t changes_ = 0;
  int next_statement_ = 0;
  std::string last_sqlstate_;
};

}  // namespace countersign
