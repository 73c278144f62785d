// OAuthStore's grants that wait for the user's consent (docs/account-creation.md), against
// every backend (store_test_fixture.h).
#include <gtest/gtest.h>

#include "store/oauth_store.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class OAuthPendingGrantStoreTest : public StoreTest {
 protected:
  OAuthStore& store() { return *stores_.oauth; }
};

TEST_P(OAuthPendingGrantStoreTest, ActivationMovesOnlyItsPendingGrantsAccessTokens) {
  Grant pending = TestGrant("pending", "user", "client", 100);
  pending.pending = true;
  ASSERT_TRUE(store().CreateGrant(pending, TestPair("p", 500)).ok());
  Grant other_client = TestGrant("other", "user", "client2", 100);
  other_client.pending = true;
  ASSERT_TRUE(store().CreateGrant(other_client, TestPair("o", 500)).ok());
  ASSERT_TRUE(
      store().CreateGrant(TestGrant("active", "user", "client", 100), TestPair("a", 500)).ok());

  StatusOr<int> activated = store().ActivatePendingGrants("user", "client", 9000);
  ASSERT_TRUE(activated.ok()) << activated.status().ToString();
  EXPECT_EQ(*activated, 1);
  auto expiry = [&](const char* hash) { return store().FindToken(hash)->expires_at; };
  EXPECT_EQ(expiry("p-access"), 9000);
  EXPECT_EQ(expiry("p-refresh"), 0);
  EXPECT_FALSE(store().FindToken("p-access")->grant.pending);
  EXPECT_EQ(expiry("o-access"), 500);  // another app's grant waits on
  EXPECT_TRUE(store().FindToken("o-access")->grant.pending);
  EXPECT_EQ(expiry("a-access"), 500);  // an active grant's tokens are not moved

  // Once active, its tokens are like any other's: a second activation finds nothing to move.
  EXPECT_EQ(*store().ActivatePendingGrants("user", "client", 20000), 0);
  EXPECT_EQ(expiry("p-access"), 9000);
  ASSERT_TRUE(store().RotateRefresh("p-refresh", 600, TestPair("q", 9600)).ok());
  EXPECT_EQ(expiry("q-access"), 9600);
}

CS_INSTANTIATE_STORE_TESTS(OAuthPendingGrantStoreTest);

}  // namespace
}  // namespace countersign::testing_store
