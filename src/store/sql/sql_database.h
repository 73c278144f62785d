// SqlDatabase: one database behind a pool of connections, as the stores see it. Read runs a
// function on a pooled connection; Write runs it inside a transaction that is committed when
// the function succeeds and rolled back when it fails. Each driver (SqliteDb, PostgresDb)
// supplies the transaction rules: how it begins, which failures are retried, how a lost
// connection is replaced.
//
// Thread-safe: any number of threads may call Read/Write at once; each call borrows its own
// connection (blocking while all are in use).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/status.h"
#include "store/database_probe.h"
#include "store/sql/sql_connection.h"

namespace countersign {

class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;

  // Runs `fn(SqlConnection&)` (returning Status or StatusOr<T>) on a pooled connection and
  // returns its result. `fn` must not keep the connection, and may run more than once (a
  // driver runs a read again on a fresh connection when the old one was lost).
  template <typename Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<SqlConnection&>())) {
    return Run(&SqlDatabase::RunRead, std::forward<Fn>(fn));
  }

  // Like Read, inside a transaction: committed when `fn` succeeds, rolled back when it returns
  // an error (so `fn` may fail after partial writes). A driver may run `fn` again from the
  // start after a transient failure (deadlock, serialization), so `fn` must keep its results
  // in its own locals. The result is returned only once the commit succeeded.
  template <typename Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<SqlConnection&>())) {
    return Run(&SqlDatabase::RunWrite, std::forward<Fn>(fn));
  }

  // Like Write, without blocking the caller where the driver can: calls `done(result)` exactly
  // once, when the transaction has committed (or failed), possibly on another thread, possibly
  // before WriteAsync returns. SQLite queues it for its group commit's committer thread;
  // PostgreSQL runs it on the calling thread. `fn` is kept (moved) until then, so it must own
  // or outlive what it uses; `done` must not throw.
  template <typename Fn, typename Done>
  void WriteAsync(Fn fn, Done done) {
    RunAsync(&SqlDatabase::RunWriteAsync, std::move(fn), std::move(done));
  }

  // Like WriteAsync, for an `fn` that writes with one statement where the connection's dialect
  // WritesInCtes() (its other statements only read): the driver may then run `fn` outside a
  // transaction block, so that the statement commits by itself (PostgreSQL: one round trip
  // instead of BEGIN, statement, COMMIT). Where the dialect cannot, exactly WriteAsync. `fn`
  // must give the same result when run again after an unknown outcome (a connection lost
  // while its statement ran), because the driver may do that.
  template <typename Fn, typename Done>
  void WriteOneStatementAsync(Fn fn, Done done) {
    RunAsync(&SqlDatabase::RunOneStatementAsync, std::move(fn), std::move(done));
  }

  // The connection pool's counters (DatabaseProbe::Pool).
  virtual DatabasePoolStats PoolStats() const = 0;

 protected:
  using Body = std::function<Status(SqlConnection&)>;
  using AsyncRunner = void (SqlDatabase::*)(Body, std::function<void(Status)>);
  // Run `body` as Read and Write promise; the Status is the body's or the driver's own.
  virtual Status RunRead(const Body& body) = 0;
  virtual Status RunWrite(const Body& body) = 0;
  // Runs `body` as WriteAsync promises; by default RunWrite on the calling thread.
  virtual void RunWriteAsync(Body body, std::function<void(Status)> done) { done(RunWrite(body)); }
  // Runs `body` as WriteOneStatementAsync promises; by default RunWriteAsync.
  virtual void RunOneStatementAsync(Body body, std::function<void(Status)> done) {
    RunWriteAsync(std::move(body), std::move(done));
  }

 private:
  template <typename Fn, typename Done>
  void RunAsync(AsyncRunner runner, Fn fn, Done done) {
    using Result = decltype(fn(std::declval<SqlConnection&>()));
    auto result = std::make_shared<std::optional<Result>>();
    (this->*runner)(
        [fn = std::move(fn), result](SqlConnection& connection) mutable -> Status {
          result->emplace(fn(connection));
          return StatusOf(**result);
        },
        [done = std::move(done), result](Status status) mutable {
          if (!status.ok()) return done(Result(std::move(status)));
          done(std::move(**result));
        });
  }
  static const Status& StatusOf(const Status& status) { return status; }
  template <typename T>
  static Status StatusOf(const StatusOr<T>& result) {
    return result.status();
  }

  template <typename Fn>
  auto Run(Status (SqlDatabase::*run)(const Body&), Fn&& fn)
      -> decltype(fn(std::declval<SqlConnection&>())) {
    using Result = decltype(fn(std::declval<SqlConnection&>()));
    std::optional<Result> result;
    Status status = (this->*run)([&](SqlConnection& connection) -> Status {
      result.emplace(fn(connection));
      return StatusOf(*result);
    });
    if (!status.ok()) return status;
    return std::move(*result);
  }
};

}  // namespace countersign
