// LoginThrottle: failed log-ins per address and per IP, in the database.
#include "service/login_throttle.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    auto stores = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    stores_ = std::move(stores).value();
  }

  FakeClock clock_{1700000100};  // 1700000100 % 900 == 0: a window starts here
  Stores stores_;
};

TEST_F(LoginThrottleTest, RefusesAnAddressAfterItsFailuresUntilTheWindowEnds) {
  LoginThrottle throttle(*stores_.rate_limits, clock_, LoginThrottle::Options{3, 100, 900});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(throttle.Check("Ann@Example.com", "10.0.0.1").ok()) << i;
    ASSERT_TRUE(throttle.RecordFailure("ann@example.com ", "10.0.0.1").ok());
  }
  clock_.Advance(60);
  Status refused = throttle.Check("ann@example.com", "10.0.0.2");  // any IP
  EXPECT_EQ(refused.code(), Code::kResourceExhausted);
  EXPECT_EQ(refused.message(), "Too many failed log-in attempts. Try again in 14 minutes.");
  EXPECT_EQ(throttle.SecondsLeft(), 840);
  EXPECT_TRUE(throttle.Check("bob@example.com", "10.0.0.1").ok());  // another address
  clock_.Advance(840);                                              // the next window
  EXPECT_TRUE(throttle.Check("ann@example.com", "10.0.0.1").ok());
}

TEST_F(LoginThrottleTest, RefusesAnIpAfterItsFailuresWhateverTheAddress) {
  LoginThrottle throttle(*stores_.rate_limits, clock_, LoginThrottle::Options{100, 2, 900});
  ASSERT_TRUE(throttle.RecordFailure("a@example.com", "10.0.0.9").ok());
  ASSERT_TRUE(throttle.RecordFailure("b@example.com", "10.0.0.9").ok());
  EXPECT_EQ(throttle.Check("c@example.com", "10.0.0.9").code(), Code::kResourceExhausted);
  EXPECT_TRUE(throttle.Check("c@example.com", "10.0.0.8").ok());
}

TEST_F(LoginThrottleTest, TheCountIsSharedThroughTheDatabase) {
  // Two throttles on one store are two instances on one database.
  LoginThrottle a(*stores_.rate_limits, clock_, LoginThrottle::Options{2, 100, 900});
  LoginThrottle b(*stores_.rate_limits, clock_, LoginThrottle::Options{2, 100, 900});
  ASSERT_TRUE(a.RecordFailure("ann@example.com", "10.0.0.1").ok());
  ASSERT_TRUE(b.RecordFailure("ann@example.com", "10.0.0.2").ok());
  EXPECT_EQ(a.Check("ann@example.com", "10.0.0.3").code(), Code::kResourceExhausted);
  EXPECT_EQ(b.Check("ann@example.com", "10.0.0.3").code(), Code::kResourceExhausted);
}

}  // namespace
}  // namespace countersign
