// PostgresRaceTest: two separately opened Stores (as two server instances would have) on one
// fresh PostgreSQL database, and a helper that releases threads together, for the tests that
// "happens once" rules hold across instances (issue 7). Skips (fails under CI=true) without a
// test server (pg_test_support.h).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "pg_test_support.h"
#include "store/postgres/postgres_stores.h"
#include "store/stores.h"

namespace countersign::testing_store {

class PostgresRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CS_REQUIRE_PG();
    database_ = std::make_unique<PgTestDatabase>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(database_->status().ok()) << database_->status().ToString();
    for (Stores* stores : {&a_, &b_}) {
      StatusOr<Stores> opened = OpenPostgresStores(database_->url(), 4);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      *stores = std::move(opened).value();
    }
  }
  void TearDown() override {
    a_ = Stores();  // close both pools before the database is dropped
    b_ = Stores();
  }

  // Instance a_ for even `i`, b_ for odd.
  Stores& Instance(int i) { return i % 2 == 0 ? a_ : b_; }

  // Runs `fn(i)` on `n` threads released together.
  template <typename Fn>
  static void Race(int n, Fn fn) {
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        fn(i);
      });
    }
    go = true;
    for (std::thread& t : threads) t.join();
  }

  std::unique_ptr<PgTestDatabase> database_;
  Stores a_;
  Stores b_;
};

}  // namespace countersign::testing_store
