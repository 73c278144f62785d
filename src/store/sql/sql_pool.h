// SqlPool: a fixed set of open connections of one driver (a SqlConnection), lent out one call
// at a time. A connection comes back outside any transaction whatever the borrower left behind.
// It counts its use for metrics (Stats): connections lent out, and how often and how long a
// borrower had to wait because all of them were.
//
// Thread-safe: Acquire blocks while every connection is lent out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "store/database_probe.h"

namespace countersign {

template <typename Connection>
class SqlPool {
 public:
  // Adds an open connection to the pool (while it is being set up).
  void Add(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++size_;
    }
    Return(std::move(connection));
  }

  // Borrows one connection for its lifetime.
  class Lease {
   public:
    explicit Lease(SqlPool& pool) : pool_(pool), connection_(pool.Acquire()) {}
    ~Lease() {
      connection_->RollbackIfOpen();
      pool_.Return(std::move(connection_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    SqlPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  // The pool's counters now.
  DatabasePoolStats Stats() const {
    std::lock_guard<std::mutex> lock(mu_);
    DatabasePoolStats stats = stats_;
    stats.size = size_;
    stats.in_use = size_ - static_cast<int>(idle_.size());
    stats.waiting = waiting_;
    return stats;
  }

 private:
  void Return(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

  std::unique_ptr<Connection> Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    if (idle_.empty()) {
      const auto started = std::chrono::steady_clock::now();
      ++waiting_;
      available_.wait(lock, [this] { return !idle_.empty(); });
      --waiting_;
      ++stats_.waits_total;
      stats_.wait_seconds_total +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    ++stats_.acquired_total;
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }

  mutable std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int size_ = 0;                                   // connections added; guarded by mu_
  int waiting_ = 0;                                // borrowers blocked now; guarded by mu_
  DatabasePoolStats stats_;                        // the totals; guarded by mu_
};

}  // namespace countersign
