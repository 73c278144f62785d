// Housekeeping removes expired sessions and old rate-limit counters, and nothing else, on each
// pass; its thread makes a pass when it starts.
#include "service/housekeeping.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/clock.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {
namespace {

constexpr int64_t kT0 = 1700000000;
constexpr int64_t kDay = 24 * 3600;

class HousekeepingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Stores> opened = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores_ = std::move(opened).value();
    // Sessions: one expired a moment ago, one that expires at kT0 exactly (expired), one live.
    ASSERT_TRUE(stores_.sessions->Create({"old", "", kT0 - kDay, kT0 - 1}).ok());
    ASSERT_TRUE(stores_.sessions->Create({"edge", "", kT0 - kDay, kT0}).ok());
    ASSERT_TRUE(stores_.sessions->Create({"live", "", kT0 - kDay, kT0 + kDay}).ok());
    // Counters: a window three days old, one that began a minute ago.
    ASSERT_TRUE(stores_.rate_limits->Take("login:ip:old", kT0 - 3 * kDay, 10, 1).ok());
    ASSERT_TRUE(stores_.rate_limits->Take("login:ip:new", kT0 - 60, 10, 1).ok());
  }

  bool SessionLives(const std::string& id) {
    return stores_.sessions->Find(id, kT0 - 2 * kDay).ok();  // a time at which all were live
  }

  Stores stores_;
  FakeClock clock_{kT0};
};

TEST_F(HousekeepingTest, APassRemovesExpiredSessionsAndOldCountersOnly) {
  Housekeeping housekeeping(*stores_.sessions, *stores_.rate_limits, clock_);
  EXPECT_EQ(housekeeping.RunOnce(), 3);  // two sessions, one counter
  EXPECT_FALSE(SessionLives("old"));
  EXPECT_FALSE(SessionLives("edge"));
  EXPECT_TRUE(SessionLives("live"));
  EXPECT_EQ(*stores_.rate_limits->Taken("login:ip:new", kT0 - 60), 1);
  // The old counter's row is gone, not merely outside its window: nothing left to remove.
  EXPECT_EQ(*stores_.rate_limits->DeleteOlderThan(kT0 - 2 * kDay), 0);
  EXPECT_EQ(housekeeping.RunOnce(), 0);

  clock_.Advance(2 * kDay);  // later passes take what has expired since
  EXPECT_EQ(housekeeping.RunOnce(), 2);
  EXPECT_FALSE(SessionLives("live"));
}

TEST_F(HousekeepingTest, TheThreadMakesAPassWhenItStarts) {
  Housekeeping housekeeping(*stores_.sessions, *stores_.rate_limits, clock_,
                            HousekeepingOptions{std::chrono::hours(1), 2 * kDay});
  housekeeping.Start();
  EXPECT_TRUE(housekeeping.Running());
  bool done = false;
  for (int i = 0; i < 500 && !done; ++i) {
    done = !SessionLives("old");
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  housekeeping.Stop();
  EXPECT_TRUE(done);
  EXPECT_FALSE(housekeeping.Running());
  EXPECT_TRUE(SessionLives("live"));
}

}  // namespace
}  // namespace countersign
