#include "store/postgres/postgres_connection.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace countersign {
namespace {

constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

// NOTICEs (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
void IgnoreNotice(void*, const char*) {}

std::string Field(const PGresult* result, int field) {
  const char* value = result != nullptr ? PQresultErrorField(result, field) : nullptr;
  return value != nullptr ? value : "";
}

bool IsChange(const PGresult* result) {
  const char* status = PQcmdStatus(const_cast<PGresult*>(result));
  return std::strncmp(status, "INSERT", 6) == 0 || std::strncmp(status, "UPDATE", 6) == 0 ||
         std::strncmp(status, "DELETE", 6) == 0;
}

class PostgresDialect final : public SqlDialect {
 public:
  std::string_view LockRows() const override { return " FOR UPDATE"; }
  std::string ClaimRows(std::string_view table_alias) const override {
    std::string clause = " FOR UPDATE";
    if (!table_alias.empty()) clause.append(" OF ").append(table_alias);
    return clause + " SKIP LOCKED";
  }
  bool WritesInCtes() const override { return true; }
};

}  // namespace

Code PostgresCode(std::string_view sqlstate) {
  if (sqlstate == "23505") return Code::kConflict;
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "53300" ||
      sqlstate.substr(0, 2) == "08" || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return Code::kUnavailable;
  }
  return Code::kInternal;
}

Status PostgresStatus(PGconn* conn, const PGresult* result, std::string_view context) {
  std::string sqlstate = Field(result, PG_DIAG_SQLSTATE);
  std::string text = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (text.empty() && conn != nullptr) text = PQerrorMessage(conn);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::string message = std::string(context) + ": " + text;
  std::string constraint = Field(result, PG_DIAG_CONSTRAINT_NAME);
  if (!constraint.empty()) message += " (constraint " + constraint + ")";
  // No SQLSTATE: the command never reached the server, or the connection broke.
  bool lost = sqlstate.empty() && (conn == nullptr || PQstatus(conn) != CONNECTION_OK);
  Code code = lost ? Code::kUnavailable : PostgresCode(sqlstate);
  if (code == Code::kUnavailable) {
    return Status(code, "The database is unavailable; try again. (" + message + ")");
  }
  if (!sqlstate.empty()) message += " [" + sqlstate + "]";
  return Status(code, message);
}

std::string TranslatePlaceholders(std::string_view sql, std::vector<bool>* referenced) {
  std::string out;
  out.reserve(sql.size());
  std::vector<bool> seen;
  char quote = 0;  // ' or " while inside a literal or quoted identifier
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote re-enters at once: same result
      out.push_back(c);
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      int n = 0;
      size_t j = i + 1;
      while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n < 100000) {
        n = n * 10 + (sql[j] - '0');
        ++j;
      }
      if (n > 0) {
        if (static_cast<size_t>(n) > seen.size()) seen.resize(n, false);
        seen[n - 1] = true;
      }
      out.push_back('$');
      out.append(sql.substr(i + 1, j - i - 1));
      i = j - 1;
      continue;
    }
    out.push_back(c);
  }
  if (referenced != nullptr) *referenced = std::move(seen);
  return out;
}

// --- PostgresConnection::Prepared ---

// One cached statement with the bindings and result of its current borrower.
class PostgresConnection::Prepared final : public SqlPrepared {
 public:
  Prepared(PostgresConnection* connection, std::string name, std::string_view sql)
      : connection_(connection), name_(std::move(name)) {
    sql_ = TranslatePlaceholders(sql, &referenced_);
    values_.resize(referenced_.size());
    types_.assign(referenced_.size(), 0);
  }

  bool in_use = false;

  void BindText(int index, std::string_view text) override {
    SetParameter(index, std::string(text), kTextOid);
  }
  void BindInt(int index, int64_t value) override {
    SetParameter(index, std::to_string(value), kInt8Oid);
  }
  void BindNull(int index) override { SetParameter(index, std::nullopt, 0); }

  StatusOr<bool> Step() override {
    if (!result_) {
      CS_RETURN_IF_ERROR(Execute());
      row_ = 0;
    } else {
      ++row_;
    }
    if (row_ < PQntuples(result_.get())) return true;
    result_.reset();  // done: the next Step runs the statement again
    row_ = -1;
    return false;
  }

  Status Run() override {
    result_.reset();
    Status status = Execute();
    result_.reset();
    row_ = -1;
    return status;
  }

  bool IsNull(int column) const override {
    return !result_ || PQgetisnull(result_.get(), row_, column) != 0;
  }
  int64_t Int(int column) const override {
    if (IsNull(column)) return 0;
    return std::strtoll(PQgetvalue(result_.get(), row_, column), nullptr, 10);
  }
  std::string Text(int column) const override {
    if (IsNull(column)) return {};
    return std::string(PQgetvalue(result_.get(), row_, column),
                       PQgetlength(result_.get(), row_, column));
  }
  int ParameterCount() const override { return static_cast<int>(values_.size()); }

  void Release() override {
    std::fill(values_.begin(), values_.end(), std::nullopt);
    std::fill(types_.begin(), types_.end(), 0);
    result_.reset();
    row_ = -1;
    bind_error_ = Status::Ok();
    in_use = false;
  }

 private:
  void SetParameter(int index, std::optional<std::string> value, Oid type) {
    if (index < 1 || index > static_cast<int>(values_.size())) {
      if (bind_error_.ok()) {
        bind_error_ = Internal("postgres: bind index " + std::to_string(index) + " out of range");
      }
      return;
    }
    values_[index - 1] = std::move(value);
    types_[index - 1] = type;
  }

  Status Execute() {
    if (!bind_error_.ok()) return bind_error_;
    PGconn* conn = connection_->raw();
    const int n = static_cast<int>(values_.size());
    if (!prepared_) {
      // The parameter types are those of the first binding; NULLs are left to the server to
      // infer, except for numbers the SQL skips (it could not infer those).
      std::vector<Oid> types = types_;
      for (int i = 0; i < n; ++i) {
        if (types[i] == 0 && !referenced_[i]) types[i] = kTextOid;
      }
      PgResult prepared(PQprepare(conn, name_.c_str(), sql_.c_str(), n, types.data()));
      CS_RETURN_IF_ERROR(connection_->Finish(prepared.get(), "prepare"));
      prepared_ = true;
    }
    std::vector<const char*> values(n);
    for (int i = 0; i < n; ++i) values[i] = values_[i] ? values_[i]->c_str() : nullptr;
    result_.reset(PQexecPrepared(conn, name_.c_str(), n, values.data(), nullptr, nullptr,
                                 /*resultFormat=*/0));
    Status status = connection_->Finish(result_.get(), "execute");
    if (!status.ok()) result_.reset();
    return status;
  }

  PostgresConnection* connection_;
  std::string name_;              // "cs_<n>" on this connection
  std::string sql_;               // translated to $N
  std::vector<bool> referenced_;  // by parameter: whether $N appears (SQLite allows gaps)
  bool prepared_ = false;         // PQprepare succeeded on this connection
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;  // 20 int8, 25 text, 0 for NULL (inferred by the server)
  PgResult result_;
  int row_ = -1;
  Status bind_error_;
};

// --- PostgresConnection ---

StatusOr<std::unique_ptr<PostgresConnection>> PostgresConnection::Open(const std::string& url) {
  // Later keywords override earlier ones, so each of these set in `url` wins over ours. TCP
  // keepalives and tcp_user_timeout make a connection to a host that went away (a network cut,
  // a crashed machine) fail within about a minute instead of the kernel's ~15 minutes of
  // retransmissions, during which every query on it would wait.
  const char* keywords[] = {
      "connect_timeout",  "keepalives",       "keepalives_idle", "keepalives_interval",
      "keepalives_count", "tcp_user_timeout", "dbname",          nullptr};
  const char* values[] = {"10", "1", "60", "10", "3", "60000", url.c_str(), nullptr};
  PgConn conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (!conn) return Status(Code::kUnavailable, "postgres: out of memory while connecting");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string text = PQerrorMessage(conn.get());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return Status(Code::kUnavailable, "cannot connect to PostgreSQL: " + text);
  }
  PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
  return std::unique_ptr<PostgresConnection>(new PostgresConnection(std::move(conn)));
}

Status PostgresConnection::Finish(const PGresult* result, std::string_view context) {
  ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    if (IsChange(result))
      changes_ = std::strtoll(PQcmdTuples(const_cast<PGresult*>(result)), nullptr, 10);
    return Status::Ok();
  }
  last_sqlstate_ = Field(result, PG_DIAG_SQLSTATE);
  return PostgresStatus(conn_.get(), result, std::string("postgres: ") + std::string(context));
}

PostgresConnection::PostgresConnection(PgConn conn) : conn_(std::move(conn)) {}

PostgresConnection::~PostgresConnection() = default;

StatusOr<SqlStatement> PostgresConnection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    auto prepared =
        std::make_unique<Prepared>(this, "cs_" + std::to_string(++next_statement_), sql);
    it = statements_.emplace(sql, std::move(prepared)).first;
  }
  Prepared& prepared = *it->second;
  if (prepared.in_use) return Internal("postgres: statement already in use: " + sql);
  prepared.in_use = true;
  return SqlStatement(&prepared);
}

Status PostgresConnection::Exec(const std::string& sql) {
  PgResult result(PQexec(conn_.get(), sql.c_str()));
  return Finish(result.get(), "exec");
}

Status PostgresConnection::LockKey(int space, std::string_view key) {
  // The space is part of the text (an int4 literal, as the two-key lock function wants).
  CS_ASSIGN_OR_RETURN(SqlStatement lock, Prepare("SELECT pg_advisory_xact_lock(" +
                                                 std::to_string(space) + ", hashtext(?1))"));
  lock.Bind(1, key);
  return lock.Run();
}

const SqlDialect& PostgresConnection::dialect() const {
  static const PostgresDialect kDialect;  // stateless
  return kDialect;
}

void PostgresConnection::RollbackIfOpen() {
  if (InTransaction()) (void)Exec("ROLLBACK");
}

bool PostgresConnection::InTransaction() const {
  PGTransactionStatusType status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

Status PostgresConnection::EnsureConnected() {
  if (PQstatus(conn_.get()) == CONNECTION_OK) return Status::Ok();
  statements_.clear();  // prepared statements died with the old session
  PQreset(conn_.get());
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string text = PQerrorMessage(conn_.get());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return Status(Code::kUnavailable, "cannot reconnect to PostgreSQL: " + text);
  }
  PQsetNoticeProcessor(conn_.get(), IgnoreNotice, nullptr);
  return Status::Ok();
}

}  // namespace countersign
