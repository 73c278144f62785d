// Migration 0008 (docs/oauth-security.md) on a database made before it: apps that existed keep
// refreshing with the refresh token alone and do not require PKCE; grants take the app's
// callback URL of the day as the one the user approved, so they keep refreshing.
#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/sqlite_stores.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

TEST(OAuthStrictMigrationTest, AppsAndGrantsFromBeforeKeepWorkingAsBefore) {
  ScratchDir dir;
  const std::string path = dir.path() + "/old.db";
  ASSERT_TRUE(MakeSqliteDatabaseBefore(
                  path, "0008",
                  "INSERT INTO api_apps (client_id, owner_account_id, name, domains, "
                  "has_oauth, oauth_callback_url, scopes, secret_hash, created_at) "
                  "VALUES ('old', 'owner', 'Old app', '[\"example.com\"]', 1, "
                  "'https://old.example.com/cb', '[\"account_access\"]', 'h', 1); "
                  "INSERT INTO oauth_grants (id, account_id, client_id, scopes, "
                  "created_at) VALUES ('g', 'user', 'old', '[\"account_access\"]', 2); "
                  "INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at) "
                  "VALUES ('r', 'g', 2, 0);")
                  .ok());
  auto stores = OpenSqliteStores(path, 1);  // applies 0008
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  auto app = stores->apps->FindByClientId("old");
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_FALSE(app->refresh_requires_client_credentials);
  EXPECT_FALSE(app->require_pkce);
  auto token = stores->oauth->FindToken("r");
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->grant.redirect_uri, "https://old.example.com/cb");
}

}  // namespace
}  // namespace countersign::testing_store
