// PostgresDb: one PostgreSQL database behind a fixed pool of connections (one pool per server
// instance), with helpers that run a read on a pooled connection or a write inside
// BEGIN ... COMMIT. Isolation is PostgreSQL's default READ COMMITTED: the stores make their
// "happens once" rules hold with row locks and conditional UPDATEs (a second UPDATE of a row
// waits for the first transaction and re-checks its WHERE against the committed row), and claim
// work with FOR UPDATE SKIP LOCKED.
//
// Thread-safe: any number of threads may call Read/Write at once; each call borrows its own
// connection (blocking while all are in use). A lost connection is re-established when it is
// next used (a read, or a write that had not begun, runs again on the new one); until the
// server is back, calls fail with kUnavailable.
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
#include "store/postgres/postgres_connection.h"

namespace countersign {

class PostgresDb {
 public:
  // Connects `pool_size` (>= 1) times to `url` and applies the pending `migrations`
  // (PostgreSQL dialect, see postgres_migrations.h) under an advisory lock, so instances
  // starting together apply each one once. kInvalidArgument for a bad pool size or an empty
  // URL; kUnavailable when the server cannot be reached; kInternal for a failing migration.
  static StatusOr<std::unique_ptr<PostgresDb>> Open(const std::string& url, int pool_size,
                                                    const std::vector<EmbeddedFile>& migrations);

  ~PostgresDb();
  PostgresDb(const PostgresDb&) = delete;
  PostgresDb& operator=(const PostgresDb&) = delete;

  // Runs `fn(PostgresConnection&)` (returning Status or StatusOr<T>) on a pooled connection,
  // outside any transaction (each statement sees the latest committed data), and returns its
  // result. `fn` must not keep the connection.
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<PostgresConnection&>())) {
    Lease lease(*this);
    CS_RETURN_IF_ERROR(lease->EnsureConnected());
    auto result = fn(*lease);
    // A pooled connection the server dropped (restart, failover) is only noticed when used;
    // reads are safe to run again on a fresh one.
    if (StatusOf(result).code() == Code::kUnavailable && lease->IsBroken()) {
      CS_RETURN_IF_ERROR(lease->EnsureConnected());
      return fn(*lease);
    }
    return result;
  }

  // Like Read, inside BEGIN ... COMMIT: committed when `fn` succeeds, rolled back when it
  // returns an error (so `fn` may fail after partial writes). A transaction that fails with a
  // deadlock or serialization error is run again from the start (at most kAttempts times in
  // all), so `fn` must keep its results in its own locals.
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<PostgresConnection&>())) {
    Lease lease(*this);
    CS_RETURN_IF_ERROR(lease->EnsureConnected());
    for (int attempt = 1;; ++attempt) {
      Status begun = lease->Exec("BEGIN");
      if (!begun.ok() && lease->IsBroken()) {  // dropped while idle: nothing was written yet
        CS_RETURN_IF_ERROR(lease->EnsureConnected());
        begun = lease->Exec("BEGIN");
      }
      CS_RETURN_IF_ERROR(begun);
      lease->ClearLastSqlState();
      auto result = fn(*lease);
      Status status = StatusOf(result);
      if (status.ok()) status = lease->Exec("COMMIT");
      if (status.ok()) return result;
      const std::string sqlstate = lease->LastSqlState();  // from this attempt only
      RollbackIfOpen(*lease);
      if (attempt >= kAttempts || !IsRetryable(sqlstate)) return status;
    }
  }

  static constexpr int kAttempts = 3;

 private:
  // Borrows one connection from the pool for its lifetime.
  class Lease {
   public:
    explicit Lease(PostgresDb& db) : db_(db), connection_(db.Acquire()) {}
    ~Lease() { db_.Release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PostgresConnection& operator*() { return *connection_; }
    PostgresConnection* operator->() { return connection_.get(); }

   private:
    PostgresDb& db_;
    std::unique_ptr<PostgresConnection> connection_;
  };

  PostgresDb() = default;
  std::unique_ptr<PostgresConnection> Acquire();
  void Release(std::unique_ptr<PostgresConnection> connection);
  static void RollbackIfOpen(PostgresConnection& connection);
  static bool IsRetryable(const std::string& sqlstate);

  static const Status& StatusOf(const Status& status) { return status; }
  template <typename T>
  static Status StatusOf(const StatusOr<T>& result) {
    return result.status();
  }

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PostgresConnection>> idle_;  // guarded by mu_
};

}  // namespace countersign
