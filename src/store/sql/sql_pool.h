// SqlPool: a fixed set of open connections of one driver (a SqlConnection), lent out one call
// at a time. A connection comes back outside any transaction whatever the borrower left behind.
//
// Thread-safe: Acquire blocks while every connection is lent out.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace countersign {

template <typename Connection>
class SqlPool {
 public:
  // Adds an open connection to the pool (while it is being set up).
  void Add(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

  // Borrows one connection for its lifetime.
  class Lease {
   public:
    explicit Lease(SqlPool& pool) : pool_(pool), connection_(pool.Acquire()) {}
    ~Lease() {
      connection_->RollbackIfOpen();
      pool_.Add(std::move(connection_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    SqlPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

 private:
  std::unique_ptr<Connection> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    available_.wait(lock, [this] { return !idle_.empty(); });
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
};

}  // namespace countersign
