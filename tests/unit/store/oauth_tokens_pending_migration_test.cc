// Migration 0019 on a database made before it: the tokens of a grant that was waiting for the
// user's consent are still moved when it is activated, now through the index of pending tokens
// only (the rotation's tokens are no longer indexed by grant).
#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_stores.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

TEST(OAuthTokensPendingMigrationTest, PendingGrantsFromBeforeStillActivate) {
  ScratchDir dir;
  const std::string path = dir.path() + "/old.db";
  ASSERT_TRUE(
      MakeSqliteDatabaseBefore(path, "0019",
                               "INSERT INTO oauth_grants (id, account_id, client_id, scopes, "
                               "created_at, pending) VALUES ('p', 'user', 'app', '[]', 1, 1), "
                               "('a', 'user', 'app', '[]', 1, 0); "
                               "INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at) "
                               "VALUES ('p-access', 'p', 1, 500), ('p-refresh', 'p', 2, 0), "
                               "('a-access', 'a', 1, 500), ('a-refresh', 'a', 2, 0);")
          .ok());
  auto stores = OpenSqliteStores(path, 1);  // applies 0019
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  auto connection = SqliteConnection::Open(path);
  ASSERT_TRUE(connection.ok());
  auto count_pending = [&]() -> int64_t {
    auto count = (*connection)->Prepare("SELECT count(*) FROM oauth_tokens WHERE pending = 1");
    if (!count.ok()) return -1;
    StatusOr<bool> row = count->Step();
    return row.ok() && *row ? count->Int(0) : -1;
  };
  EXPECT_EQ(count_pending(), 2);  // the pending grant's two tokens, marked by the migration
  StatusOr<int> activated = stores->oauth->ActivatePendingGrants("user", "app", 9000);
  ASSERT_TRUE(activated.ok()) << activated.status().ToString();
  EXPECT_EQ(*activated, 1);
  EXPECT_EQ(stores->oauth->FindToken("p-access")->expires_at, 9000);
  EXPECT_EQ(stores->oauth->FindToken("a-access")->expires_at, 500);

  EXPECT_EQ(count_pending(), 0);  // activated: its tokens left the partial index
  ASSERT_TRUE(stores->oauth->RotateRefresh("p-refresh", 600, {"q-access", 9600, "q-refresh"}).ok());
  EXPECT_EQ(count_pending(), 0);  // a rotation's tokens never enter it

  // The activation's statement (SqlOAuthStore::ActivatePendingGrants) finds its tokens through
  // the partial index, not by reading every token.
  auto plan = (*connection)
                  ->Prepare(
                      "EXPLAIN QUERY PLAN UPDATE oauth_tokens SET expires_at = CASE WHEN "
                      "kind = ?2 THEN ?3 ELSE expires_at END, pending = 0 "
                      "WHERE pending = 1 AND grant_id = ?1");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::string steps;
  while (*plan->Step()) steps += plan->Text(3) + "\n";
  EXPECT_NE(steps.find("USING INDEX oauth_tokens_pending_grant"), std::string::npos) << steps;
}

}  // namespace
}  // namespace countersign::testing_store
