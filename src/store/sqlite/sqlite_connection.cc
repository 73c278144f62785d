#include "store/sqlite/sqlite_connection.h"

#include <utility>

namespace countersign {

Status SqliteStatus(sqlite3* db, int rc, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(Code::kUnavailable, "The database is busy; try again. (" + message + ")");
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status(Code::kConflict, message);
      }
      return Internal(message);
    default:
      return Internal(message);
  }
}

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
    : db_(db), stmt_(stmt), in_use_(in_use) {
  *in_use_ = true;
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(other.in_use_),
      bind_error_(std::move(other.bind_error_)) {}

SqliteStatement::~SqliteStatement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(db_, rc, "bind");
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(db_, rc, "bind");
  return *this;
}

StatusOr<bool> SqliteStatement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(stmt_);  // ready to be rebound and run again; changes() is unaffected
    return false;
  }
  Status status = SqliteStatus(db_, rc, "step");
  sqlite3_reset(stmt_);  // leave the statement reusable; the error is already captured
  return status;
}

Status SqliteStatement::Run() {
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& uri) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(uri.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(db, rc, "open " + uri);
    sqlite3_close_v2(db);  // harmless on null
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  rc = sqlite3_busy_timeout(db, 5000);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, "busy_timeout");
  CS_RETURN_IF_ERROR(connection->Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"));
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

StatusOr<SqliteStatement> SqliteConnection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "prepare");
    if (stmt == nullptr) return Internal("sqlite: prepare: empty statement");
    it = statements_.emplace(sql, CachedStatement{stmt}).first;
  }
  if (*it->second.in_use) return Internal("sqlite: statement already in use: " + sql);
  return SqliteStatement(db_, it->second.stmt, it->second.in_use.get());
}

Status SqliteConnection::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "exec");
  return Status::Ok();
}

int SqliteStatement::ParameterCount() const { return sqlite3_bind_parameter_count(stmt_); }

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace countersign
