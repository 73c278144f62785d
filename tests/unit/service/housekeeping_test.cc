// Housekeeping removes expired sessions, old rate-limit counters and stale OAuth codes and tokens,
// and nothing else, on each pass; its thread makes a pass when it starts; its first pass seals the
// signer PINs that old drafts keep in the clear.
#include "service/housekeeping.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/clock.h"
#include "core/crypto.h"
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
  Housekeeping housekeeping(*stores_.sessions, *stores_.rate_limits, *stores_.drafts,
                            *stores_.oauth, clock_);
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

TEST_F(HousekeepingTest, APassRemovesOAuthTokensAndCodesPastTheirKeepingTimes) {
  // A refresh chain: t1 expired and spent 40 days ago, t2 spent 10 days ago, t3 live. A grant
  // revoked 40 days ago; a code expired two days ago; one expired an hour ago.
  OAuthStore& oauth = *stores_.oauth;
  Grant grant;
  grant.id = "g1";
  grant.account_id = "a";
  grant.client_id = "c";
  ASSERT_TRUE(oauth.CreateGrant(grant, {"t1-access", kT0 - 40 * kDay, "t1-refresh"}).ok());
  ASSERT_TRUE(oauth
                  .RotateRefresh("t1-refresh", kT0 - 40 * kDay,
                                 {"t2-access", kT0 - 10 * kDay, "t2-refresh"})
                  .ok());
  ASSERT_TRUE(
      oauth.RotateRefresh("t2-refresh", kT0 - 10 * kDay, {"t3-access", kT0 + 3600, "t3-refresh"})
          .ok());
  grant.id = "g2";
  ASSERT_TRUE(oauth.CreateGrant(grant, {"r-access", kT0 + 3600, "r-refresh"}).ok());
  ASSERT_TRUE(oauth.RevokeGrant("g2", kT0 - 40 * kDay).ok());
  AuthCode code;
  code.code_hash = "old-code";
  code.expires_at = kT0 - 2 * kDay;
  ASSERT_TRUE(oauth.InsertCode(code).ok());
  code.code_hash = "new-code";
  code.expires_at = kT0 - 3600;
  ASSERT_TRUE(oauth.InsertCode(code).ok());

  Housekeeping housekeeping(*stores_.sessions, *stores_.rate_limits, *stores_.drafts,
                            *stores_.oauth, clock_);
  // Three sessions and counters; t1's pair, t2's access token, g2's pair, the old code.
  EXPECT_EQ(housekeeping.RunOnce(), 3 + 6);
  for (const char* gone : {"t1-access", "t1-refresh", "t2-access", "r-access", "r-refresh"}) {
    EXPECT_EQ(oauth.FindToken(gone).status().code(), Code::kNotFound) << gone;
  }
  for (const char* kept : {"t2-refresh", "t3-access", "t3-refresh"}) {
    EXPECT_TRUE(oauth.FindToken(kept).ok()) << kept;
  }
  EXPECT_EQ(oauth.RedeemCode("old-code", kT0, {}).status().code(), Code::kNotFound);
  EXPECT_TRUE(oauth.RedeemCode("new-code", kT0, {}).ok());

  // 21 days on: t2's refresh token was spent 31 days ago, t3's access token and the new code
  // expired, and so did the "live" session and the new counter.
  clock_.Advance(21 * kDay);
  EXPECT_EQ(housekeeping.RunOnce(), 2 + 3);
  EXPECT_TRUE(oauth.FindToken("t3-refresh").ok());
}

// A draft with `body_json`, as an older version stored it.
Draft OldDraft(const std::string& id, const std::string& body_json) {
  Draft d;
  d.id = id;
  d.signature_request_id = "sr-" + id;
  d.account_id = "acct";
  d.type = "request_signature";
  d.body_json = body_json;
  d.created_at = kT0 - kDay;
  d.expires_at = kT0 + kDay;
  return d;
}

TEST_F(HousekeepingTest, TheFirstPassSealsThePinsOldDraftsKeptInTheClear) {
  const std::string clear =
      R"({"signers":[{"name":"J","email_address":"j@example.com","pin":"4321"},)"
      R"({"name":"K","email_address":"k@example.com"}],"title":"NDA"})";
  const std::string metadata_only = R"({"metadata":{"pin":"not a signer's"},"title":"X"})";
  ASSERT_TRUE(stores_.drafts->Insert(OldDraft("d1", clear)).ok());
  ASSERT_TRUE(stores_.drafts->Insert(OldDraft("d2", metadata_only)).ok());
  Housekeeping housekeeping(*stores_.sessions, *stores_.rate_limits, *stores_.drafts,
                            *stores_.oauth, clock_);
  EXPECT_EQ(housekeeping.RunOnce(), 3 + 1);  // two sessions, one counter, one draft

  const nlohmann::json sealed = nlohmann::json::parse(stores_.drafts->Get("d1")->body_json);
  EXPECT_FALSE(sealed["signers"][0].contains("pin"));
  EXPECT_TRUE(VerifyPassword("4321", sealed["signers"][0].value("pin_hash", "")));
  EXPECT_FALSE(sealed["signers"][1].contains("pin_hash"));
  EXPECT_EQ(sealed["title"], "NDA");
  EXPECT_EQ(stores_.drafts->Get("d2")->body_json, metadata_only);

  // Later passes do not scan the drafts again.
  ASSERT_TRUE(stores_.drafts->Insert(OldDraft("d3", clear)).ok());
  EXPECT_EQ(housekeeping.RunOnce(), 0);
  EXPECT_EQ(stores_.drafts->Get("d3")->body_json, clear);
}

TEST_F(HousekeepingTest, TheThreadMakesAPassWhenItStarts) {
  Housekeeping housekeeping(*stores_.sessions, *stores_.rate_limits, *stores_.drafts,
                            *stores_.oauth, clock_,
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
