// RateLimitStore contract tests, run against every backend (store_test_fixture.h).
#include "store/rate_limit_store.h"

#include <gtest/gtest.h>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class RateLimitStoreTest : public StoreTest {
 protected:
  RateLimitStore& store() { return *stores_.rate_limits; }
};

TEST_P(RateLimitStoreTest, TakesUpToTheLimitThenNothing) {
  StatusOr<RateTake> first = store().Take("b", 600, 10, 4);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->granted, 4);
  EXPECT_EQ(first->taken, 4);
  StatusOr<RateTake> second = store().Take("b", 600, 10, 8);  // only 6 left
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->granted, 6);
  EXPECT_EQ(second->taken, 10);
  StatusOr<RateTake> third = store().Take("b", 600, 10, 1);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->granted, 0);
  EXPECT_EQ(third->taken, 10);
  EXPECT_EQ(*store().Taken("b", 600), 10);
  EXPECT_EQ(*store().Taken("other", 600), 0);
}

TEST_P(RateLimitStoreTest, ANewWindowStartsOverAndAnOldOneDoesNotReset) {
  ASSERT_EQ(store().Take("b", 600, 3, 3)->granted, 3);
  EXPECT_EQ(store().Take("b", 600, 3, 1)->granted, 0);
  // An instance whose clock lags still sees the newer window as used up.
  StatusOr<RateTake> next = store().Take("b", 660, 3, 2);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->granted, 2);
  EXPECT_EQ(*store().Taken("b", 600), 2);  // the row is on window 660 now
  EXPECT_EQ(*store().Taken("b", 660), 2);
  EXPECT_EQ(store().Take("b", 600, 3, 5)->granted, 1);  // uses the newer row as is
  EXPECT_EQ(*store().Taken("b", 720), 0);
}

TEST_P(RateLimitStoreTest, BucketsAreIndependent) {
  ASSERT_EQ(store().Take("a", 0, 2, 2)->granted, 2);
  EXPECT_EQ(store().Take("b", 0, 2, 2)->granted, 2);
  EXPECT_EQ(store().Take("a", 0, 2, 1)->granted, 0);
}

TEST_P(RateLimitStoreTest, DeleteOlderThanDropsOnlyBucketsOfOlderWindows) {
  ASSERT_TRUE(store().Take("old", 0, 5, 1).ok());
  ASSERT_TRUE(store().Take("recent", 900, 5, 2).ok());
  StatusOr<int> deleted = store().DeleteOlderThan(900);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(*store().Taken("recent", 900), 2);
  EXPECT_EQ(store().Take("old", 0, 5, 5)->granted, 5);  // starts from nothing
}

CS_INSTANTIATE_STORE_TESTS(RateLimitStoreTest);

}  // namespace
}  // namespace countersign::testing_store
