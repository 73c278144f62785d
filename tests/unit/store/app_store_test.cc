// AppStore contract tests, run against every backend (store_test_fixture.h).
#include "store/app_store.h"

#include <gtest/gtest.h>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class AppStoreTest : public StoreTest {
 protected:
  AppStore& store() { return *stores_.apps; }
};

std::vector<std::string> ClientIds(const std::vector<ApiApp>& apps) {
  std::vector<std::string> ids;
  for (const ApiApp& app : apps) ids.push_back(app.client_id);
  return ids;
}

TEST_P(AppStoreTest, CreateThenFind) {
  ApiApp app = TestApp(1, "owner", 500);
  ASSERT_TRUE(store().Create(app).ok());
  StatusOr<ApiApp> found = store().FindByClientId(app.client_id);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ExpectSameApp(*found, app);
}

TEST_P(AppStoreTest, EmptyAndUnsetFieldsRoundTrip) {
  ApiApp app = TestApp(1, "owner", 500);
  app.domains = {};
  app.scopes = {};
  app.callback_url.reset();
  app.has_oauth = false;
  app.oauth_callback_url = "";
  app.white_labeling_json = "";
  app.is_approved = false;
  app.can_insert_everywhere = false;
  app.refresh_requires_client_credentials = false;
  app.require_pkce = false;
  ASSERT_TRUE(store().Create(app).ok());
  StatusOr<ApiApp> found = store().FindByClientId(app.client_id);
  ASSERT_TRUE(found.ok());
  ExpectSameApp(*found, app);
}

TEST_P(AppStoreTest, UnicodeAndQuotesInListsRoundTrip) {
  ApiApp app = TestApp(1, "owner", 500);
  app.domains = {"bücher.example", "quote\"d", "comma,separated"};
  ASSERT_TRUE(store().Create(app).ok());
  EXPECT_EQ(store().FindByClientId(app.client_id)->domains, app.domains);
}

TEST_P(AppStoreTest, UnknownIsNotFoundAndDuplicateIsConflict) {
  EXPECT_EQ(store().FindByClientId("nope").status().code(), Code::kNotFound);
  ASSERT_TRUE(store().Create(TestApp(1, "owner", 500)).ok());
  EXPECT_EQ(store().Create(TestApp(1, "other", 600)).code(), Code::kConflict);
}

TEST_P(AppStoreTest, ListByOwnerIsNewestFirstAndPaged) {
  ASSERT_TRUE(store().Create(TestApp(1, "owner", 100)).ok());
  ASSERT_TRUE(store().Create(TestApp(2, "owner", 300)).ok());
  ASSERT_TRUE(store().Create(TestApp(3, "owner", 200)).ok());
  ASSERT_TRUE(store().Create(TestApp(4, "someone-else", 400)).ok());

  StatusOr<std::vector<ApiApp>> all = store().ListByOwner("owner", 0, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(ClientIds(*all), (std::vector<std::string>{"client2", "client3", "client1"}));
  ExpectSameApp((*all)[0], TestApp(2, "owner", 300));
  EXPECT_EQ(ClientIds(*store().ListByOwner("owner", 1, 1)), std::vector<std::string>{"client3"});
  EXPECT_EQ(ClientIds(*store().ListByOwner("owner", 2, 5)), std::vector<std::string>{"client1"});
  EXPECT_TRUE(store().ListByOwner("owner", 3, 5)->empty());
  EXPECT_TRUE(store().ListByOwner("nobody", 0, 5)->empty());

  EXPECT_EQ(*store().CountByOwner("owner"), 3);
  EXPECT_EQ(*store().CountByOwner("someone-else"), 1);
  EXPECT_EQ(*store().CountByOwner("nobody"), 0);
}

TEST_P(AppStoreTest, UpdateReplacesMutableColumns) {
  ApiApp app = TestApp(1, "owner", 500);
  ASSERT_TRUE(store().Create(app).ok());
  ApiApp changed = app;
  changed.name = "Renamed";
  changed.domains = {"new.example.com"};
  changed.callback_url.reset();
  changed.has_oauth = false;
  changed.oauth_callback_url = "";
  changed.scopes = {"basic_account_info"};
  changed.secret_hash = "rotated";
  changed.is_approved = false;
  changed.can_insert_everywhere = false;
  changed.white_labeling_json = "";
  changed.refresh_requires_client_credentials = false;
  changed.require_pkce = false;
  ASSERT_TRUE(store().Update(changed).ok());
  ExpectSameApp(*store().FindByClientId(app.client_id), changed);
  EXPECT_EQ(store().Update(TestApp(9, "owner", 1)).code(), Code::kNotFound);
}

TEST_P(AppStoreTest, DeleteRemovesTheAppAndRevokesItsGrants) {
  ASSERT_TRUE(store().Create(TestApp(1, "owner", 500)).ok());
  ASSERT_TRUE(store().Create(TestApp(2, "owner", 500)).ok());
  OAuthStore& oauth = *stores_.oauth;
  ASSERT_TRUE(oauth.CreateGrant(TestGrant("g1", "alice", "client1", 10), TestPair("a")).ok());
  ASSERT_TRUE(oauth.CreateGrant(TestGrant("g2", "bob", "client1", 11), TestPair("b")).ok());
  ASSERT_TRUE(oauth.CreateGrant(TestGrant("g3", "alice", "client2", 12), TestPair("c")).ok());

  ASSERT_TRUE(store().Delete("client1", 900).ok());

  EXPECT_EQ(store().FindByClientId("client1").status().code(), Code::kNotFound);
  EXPECT_TRUE(store().FindByClientId("client2").ok());
  EXPECT_EQ(store().Delete("client1", 901).code(), Code::kNotFound);
  EXPECT_EQ(*store().CountByOwner("owner"), 1);

  StatusOr<TokenRecord> token = oauth.FindToken("a-access");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->grant.revoked_at, 900);
  EXPECT_EQ(oauth.FindToken("b-refresh")->grant.revoked_at, 900);
  EXPECT_EQ(oauth.FindToken("c-access")->grant.revoked_at, 0);
  std::vector<Grant> alice = *oauth.ListActiveGrants("alice");
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0].id, "g3");
  EXPECT_EQ(oauth.RotateRefresh("a-refresh", 950, TestPair("a2")).code(), Code::kConflict);
}

TEST_P(AppStoreTest, ListAllPutsAppsWaitingForApprovalFirst) {
  ApiApp approved = TestApp(1, "owner", 300);
  approved.is_approved = true;
  ASSERT_TRUE(store().Create(approved).ok());
  for (auto [n, at] : {std::pair{2, 100}, std::pair{3, 200}}) {
    ApiApp waiting = TestApp(n, n == 2 ? "someone" : "owner", at);
    waiting.is_approved = false;
    ASSERT_TRUE(store().Create(waiting).ok());
  }
  EXPECT_EQ(ClientIds(*store().ListAll(0, 10)),
            (std::vector<std::string>{"client3", "client2", "client1"}));
  EXPECT_EQ(ClientIds(*store().ListAll(1, 1)), std::vector<std::string>{"client2"});
}

CS_INSTANTIATE_STORE_TESTS(AppStoreTest);

}  // namespace
}  // namespace countersign::testing_store
