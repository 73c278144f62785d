// OAuthStore's reads that join a token's grant with its account or its app (one statement each:
// what authenticating a Bearer token and checking a refresh need), run against every backend.
#include <gtest/gtest.h>

#include "store/oauth_store.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class OAuthTokenJoinsTest : public StoreTest {
 protected:
  OAuthStore& store() { return *stores_.oauth; }
};

TEST_P(OAuthTokenJoinsTest, FindTokenWithAccountReadsTheGrantsAccountToo) {
  Account account = TestAccount(1);
  account.is_locked = true;
  ASSERT_TRUE(stores_.accounts->Create(account).ok());
  Grant grant = TestGrant("g1", account.id, "client1", 1000);
  ASSERT_TRUE(store().CreateGrant(grant, TestPair("t", 4600)).ok());

  StatusOr<TokenWithAccount> found = store().FindTokenWithAccount("t-access");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  StatusOr<TokenRecord> alone = store().FindToken("t-access");
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(found->token.token_hash, alone->token_hash);
  EXPECT_EQ(found->token.kind, TokenKind::kAccess);
  EXPECT_EQ(found->token.expires_at, 4600);
  EXPECT_EQ(found->token.grant.id, "g1");
  EXPECT_EQ(found->token.grant.scopes, grant.scopes);
  EXPECT_EQ(found->token.grant.redirect_uri, grant.redirect_uri);
  ASSERT_TRUE(found->account.has_value());
  EXPECT_EQ(found->account->id, account.id);
  EXPECT_EQ(found->account->email, account.email);
  EXPECT_EQ(found->account->callback_url, account.callback_url);
  EXPECT_EQ(found->account->locale, account.locale);
  EXPECT_TRUE(found->account->is_locked);
  EXPECT_TRUE(found->account->email_confirmed);
  EXPECT_EQ(found->account->created_at, account.created_at);

  // A grant whose account does not exist still finds its token, without an account.
  ASSERT_TRUE(store().CreateGrant(TestGrant("g2", "no-such-account", "c", 1), TestPair("u")).ok());
  StatusOr<TokenWithAccount> orphan = store().FindTokenWithAccount("u-access");
  ASSERT_TRUE(orphan.ok()) << orphan.status().ToString();
  EXPECT_EQ(orphan->token.grant.id, "g2");
  EXPECT_FALSE(orphan->account.has_value());
  EXPECT_EQ(store().FindTokenWithAccount("unknown").status().code(), Code::kNotFound);
}

TEST_P(OAuthTokenJoinsTest, FindTokenWithAppReadsTheGrantsAppToo) {
  ApiApp app = TestApp(1, "owner", 500);
  ASSERT_TRUE(stores_.apps->Create(app).ok());
  Grant grant = TestGrant("g1", "account1", app.client_id, 1000);
  ASSERT_TRUE(store().CreateGrant(grant, TestPair("t", 4600)).ok());

  StatusOr<TokenWithApp> found = store().FindTokenWithApp("t-refresh");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  StatusOr<TokenRecord> alone = store().FindToken("t-refresh");
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(found->token.token_hash, alone->token_hash);
  EXPECT_EQ(found->token.kind, TokenKind::kRefresh);
  EXPECT_EQ(found->token.spent_at, 0);
  EXPECT_EQ(found->token.grant.id, "g1");
  EXPECT_EQ(found->token.grant.client_id, app.client_id);
  EXPECT_EQ(found->token.grant.scopes, grant.scopes);
  EXPECT_EQ(found->token.grant.redirect_uri, grant.redirect_uri);
  ASSERT_TRUE(found->app.has_value());
  ExpectSameApp(*found->app, app);

  // The app as it is now, not as it was when the grant was given.
  app.scopes = {"basic_account_info"};
  app.oauth_callback_url = "https://example.com/elsewhere";
  app.callback_url.reset();
  ASSERT_TRUE(stores_.apps->Update(app).ok());
  found = store().FindTokenWithApp("t-access");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->token.kind, TokenKind::kAccess);
  ASSERT_TRUE(found->app.has_value());
  ExpectSameApp(*found->app, app);

  // A grant whose app does not exist still finds its token, without an app.
  ASSERT_TRUE(
      store().CreateGrant(TestGrant("g2", "account1", "no-such-app", 1), TestPair("u")).ok());
  StatusOr<TokenWithApp> orphan = store().FindTokenWithApp("u-refresh");
  ASSERT_TRUE(orphan.ok()) << orphan.status().ToString();
  EXPECT_EQ(orphan->token.grant.id, "g2");
  EXPECT_FALSE(orphan->app.has_value());
  EXPECT_EQ(store().FindTokenWithApp("unknown").status().code(), Code::kNotFound);
}

CS_INSTANTIATE_STORE_TESTS(OAuthTokenJoinsTest);

}  // namespace
}  // namespace countersign::testing_store
