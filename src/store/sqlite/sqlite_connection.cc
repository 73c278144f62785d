#include "store/sqlite/sqlite_connection.h"

#include <utility>

#include "store/sqlite/sqlite_wal_write_buffer.h"

namespace countersign {
namespace {

// "UNIQUE constraint failed: t.c" names the index of a one-column key "(constraint t_c)",
// as PostgreSQL names it, so the stores recognise a violation the same way on both.
std::string UniqueIndexName(std::string_view message) {
  constexpr std::string_view kPrefix = "UNIQUE constraint failed: ";
  size_t at = message.find(kPrefix);
  if (at == std::string_view::npos) return "";
  std::string_view columns = message.substr(at + kPrefix.size());
  if (columns.find(',') != std::string_view::npos) return "";
  std::string name(columns);
  size_t dot = name.find('.');
  if (dot == std::string::npos) return "";
  name[dot] = '_';
  return name;
}

// The value of `PRAGMA name` on `connection`, as SQLite took it.
StatusOr<int64_t> PragmaValue(SqliteConnection& connection, const std::string& name) {
  CS_ASSIGN_OR_RETURN(SqlStatement pragma, connection.Prepare("PRAGMA " + name));
  CS_ASSIGN_OR_RETURN(bool row, pragma.Step());
  if (!row) return Internal("sqlite: PRAGMA " + name + " gave no value");
  return pragma.Int(0);
}

class SqliteDialect final : public SqlDialect {
 public:
  std::string_view LockRows() const override { return ""; }
  std::string ClaimRows(std::string_view) const override { return ""; }
  bool WritesInCtes() const override { return false; }
};

}  // namespace

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
        std::string index = UniqueIndexName(message);
        if (!index.empty()) message += " (constraint " + index + ")";
        return Status(Code::kConflict, message);
      }
      return Internal(message);
    default:
      return Internal(message);
  }
}

// One cached sqlite3_stmt, lent to one SqlStatement at a time.
class SqliteConnection::Prepared final : public SqlPrepared {
 public:
  Prepared(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Prepared() { sqlite3_finalize(stmt_); }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  bool in_use = false;

  void BindText(int index, std::string_view text) override {
    Check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                            SQLITE_TRANSIENT));
  }
  void BindInt(int index, int64_t value) override {
    Check(sqlite3_bind_int64(stmt_, index, value));
  }
  void BindNull(int index) override { Check(sqlite3_bind_null(stmt_, index)); }

  StatusOr<bool> Step() override {
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

  Status Run() override {
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, Step());
      if (!row) return Status::Ok();
    }
  }

  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
  }
  int ParameterCount() const override { return sqlite3_bind_parameter_count(stmt_); }

  void Release() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_error_ = Status::Ok();
    in_use = false;
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = SqliteStatus(db_, rc, "bind");
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;  // first failed Bind, reported by Step/Run
};

StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& uri,
                                                                   bool buffer_wal_writes) {
  // Process-wide, before SQLite initialises (the first open): no allocation statistics. With
  // them on (the default), every allocation SQLite makes - a few dozen per statement run, as
  // Debian's build has no lookaside allocator - takes one global mutex and updates counters
  // nothing here reads. When SQLite was initialised already, this fails harmlessly.
  static const int kNoMemStatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)kNoMemStatus;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  // After the configuration above: finding a VFS initialises SQLite. The default VFS when the
  // buffering one cannot be registered (it only saves system calls).
  const char* vfs = buffer_wal_writes ? SqliteWalWriteBufferVfs() : nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(db, rc, "open " + uri);
    sqlite3_close_v2(db);  // harmless on null
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  rc = sqlite3_busy_timeout(db, 5000);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, "busy_timeout");
  CS_RETURN_IF_ERROR(connection->Exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"));
  if (vfs != nullptr) {
    // What the buffering VFS needs (sqlite_wal_write_buffer.h), checked as SQLite took it.
    CS_RETURN_IF_ERROR(connection->Exec("PRAGMA cache_spill = OFF"));
    CS_ASSIGN_OR_RETURN(int64_t sync, PragmaValue(*connection, "synchronous"));
    if (sync < 2) return Internal("sqlite: synchronous is below FULL");
    CS_ASSIGN_OR_RETURN(int64_t spill, PragmaValue(*connection, "cache_spill"));
    if (spill != 0) return Internal("sqlite: cache_spill is on");
  }
  return connection;
}

SqliteConnection::SqliteConnection(sqlite3* db) : db_(db) {}

SqliteConnection::~SqliteConnection() {
  statements_.clear();  // finalized before the handle closes
  sqlite3_close_v2(db_);
}

StatusOr<SqlStatement> SqliteConnection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "prepare");
    if (stmt == nullptr) return Internal("sqlite: prepare: empty statement");
    it = statements_.emplace(sql, std::make_unique<Prepared>(db_, stmt)).first;
  }
  Prepared& prepared = *it->second;
  if (prepared.in_use) return Internal("sqlite: statement already in use: " + sql);
  prepared.in_use = true;
  return SqlStatement(&prepared);
}

Status SqliteConnection::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // the same text is available from sqlite3_errmsg
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "exec");
  return Status::Ok();
}

int64_t SqliteConnection::Changes() const { return sqlite3_changes64(db_); }

const SqlDialect& SqliteConnection::dialect() const {
  static const SqliteDialect kDialect;  // stateless
  return kDialect;
}

void SqliteConnection::RollbackIfOpen() {
  if (InTransaction()) (void)Exec("ROLLBACK");
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace countersign
