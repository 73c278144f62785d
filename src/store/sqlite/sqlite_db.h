// SqliteDb: one SQLite database behind a fixed pool of connections, with helpers that run a
// read on a pooled connection or a write inside BEGIN IMMEDIATE ... COMMIT.
//
// Thread-safe: any number of threads may call Read/Write at once; each call borrows its own
// connection (blocking while all are in use). Writers are serialised by SQLite's write lock,
// waited for up to the 5 s busy timeout (then kUnavailable).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

class SqliteDb {
 public:
  // Opens `path` (a file, or ":memory:" for a fresh in-memory database shared by all of this
  // object's connections and freed with it), switches it to WAL mode, applies the pending
  // `migrations` in name order and opens `pool_size` (>= 1) connections.
  // kInvalidArgument for pool_size < 1; kInternal/kUnavailable for database errors.
  static StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path, int pool_size,
                                                  const std::vector<EmbeddedFile>& migrations);

  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs `fn(SqliteConnection&)` (returning Status or StatusOr<T>) on a pooled connection and
  // returns its result. `fn` must not keep the connection.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    Lease lease(*this);
    return fn(*lease);
  }

  // Like Read, inside a BEGIN IMMEDIATE transaction that is committed when `fn` succeeds and
  // rolled back when it returns an error (so `fn` may fail after partial writes).
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    Lease lease(*this);
    CS_RETURN_IF_ERROR(lease->Exec("BEGIN IMMEDIATE"));
    auto result = fn(*lease);
    Status status = StatusOf(result);
    if (status.ok()) status = lease->Exec("COMMIT");
    if (!status.ok()) {
      RollbackIfOpen(*lease);
      return status;
    }
    return result;
  }

 private:
  // Borrows one connection from the pool for its lifetime.
  class Lease {
   public:
    explicit Lease(SqliteDb& db) : db_(db), connection_(db.Acquire()) {}
    ~Lease() { db_.Release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    SqliteConnection& operator*() { return *connection_; }
    SqliteConnection* operator->() { return connection_.get(); }

   private:
    SqliteDb& db_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  SqliteDb() = default;
  std::unique_ptr<SqliteConnection> Acquire();
  void Release(std::unique_ptr<SqliteConnection> connection);
  static void RollbackIfOpen(SqliteConnection& connection);

  static const Status& StatusOf(const Status& status) { return status; }
  template <typename T>
  static Status StatusOf(const StatusOr<T>& result) {
    return result.status();
  }

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;  // guarded by mu_
};

}  // namespace countersign
