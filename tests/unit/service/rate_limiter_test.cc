// RateLimiter: quotas per window, shared by instances through the store, with the database
// touched once per slice rather than once per request.
#include "service/rate_limiter.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {
namespace {

// Counts the calls that reach the database.
class CountingStore : public RateLimitStore {
 public:
  explicit CountingStore(RateLimitStore& inner) : inner_(inner) {}
  StatusOr<RateTake> Take(const std::string& bucket, int64_t window_start, int64_t limit,
                          int64_t want) override {
    ++takes;
    return inner_.Take(bucket, window_start, limit, want);
  }
  StatusOr<int64_t> Taken(const std::string& bucket, int64_t window_start) override {
    return inner_.Taken(bucket, window_start);
  }
  StatusOr<int> DeleteOlderThan(int64_t window_start) override {
    return inner_.DeleteOlderThan(window_start);
  }
  int takes = 0;

 private:
  RateLimitStore& inner_;
};

class RateLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    stores_ = std::move(stores).value();
  }
  RateLimitStore& store() { return *stores_.rate_limits; }

  FakeClock clock_{1700000000};  // 1700000000 % 60 == 20
  Stores stores_;
};

TEST_F(RateLimiterTest, AllowsTheLimitThenRefusesUntilTheWindowEnds) {
  RateLimiter limiter(store(), clock_, RateLimiter::Options{60});
  for (int i = 0; i < 5; ++i) {
    StatusOr<RateDecision> d = limiter.Acquire("acct", 5);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_TRUE(d->allowed) << i;
    EXPECT_EQ(d->limit, 5);
    EXPECT_EQ(d->remaining, 4 - i);
    EXPECT_EQ(d->reset_at, 1700000040);
  }
  clock_.Advance(10);
  StatusOr<RateDecision> refused = limiter.Acquire("acct", 5);
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->remaining, 0);
  EXPECT_EQ(refused->retry_after, 30);
  EXPECT_TRUE(limiter.Acquire("other", 5)->allowed);  // another account has its own quota
  clock_.Advance(30);                                 // the next window
  StatusOr<RateDecision> again = limiter.Acquire("acct", 5);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->allowed);
  EXPECT_EQ(again->remaining, 4);
  EXPECT_EQ(again->reset_at, 1700000100);
}

TEST_F(RateLimiterTest, InstancesSharingTheDatabaseNeverExceedTheLimitTogether) {
  // Two limiters on one store are two server instances on one database.
  RateLimiter a(store(), clock_, RateLimiter::Options{60});
  RateLimiter b(store(), clock_, RateLimiter::Options{60});
  int allowed = 0;
  for (int i = 0; i < 300; ++i) {
    StatusOr<RateDecision> d = (i % 3 == 0 ? b : a).Acquire("acct", 100);
    ASSERT_TRUE(d.ok());
    if (d->allowed) ++allowed;
  }
  EXPECT_EQ(allowed, 100);  // every leased unit is spent, none twice
  EXPECT_EQ(*store().Taken("acct", 1699999980), 100);
}

TEST_F(RateLimiterTest, TheDatabaseIsAskedOncePerSliceNotPerRequest) {
  CountingStore counting(store());
  RateLimiter limiter(counting, clock_, RateLimiter::Options{60, 1000});
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Acquire("acct", 100000)->allowed);
  EXPECT_EQ(counting.takes, 1);  // one slice of 1000 (a tenth of the quota, capped)
  // Refusals are remembered too: an exhausted window is not asked again.
  for (int i = 0; i < 20; ++i) (void)limiter.Acquire("small", 2);
  EXPECT_EQ(counting.takes, 1 + 3);  // slices of 1, 1, then one refused lease
}

TEST_F(RateLimiterTest, ZeroMeansUnlimited) {
  CountingStore counting(store());
  RateLimiter limiter(counting, clock_, RateLimiter::Options{60});
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(limiter.Acquire("acct", 0)->allowed);
  EXPECT_EQ(counting.takes, 0);
}

}  // namespace
}  // namespace countersign
