// OAuthStore contract tests, run against every backend (store_test_fixture.h), including
// the "happens once" rules under concurrent callers.
#include "store/oauth_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class OAuthStoreTest : public StoreTest {
 protected:
  OAuthStore& store() { return *stores_.oauth; }

  // Runs `fn(i)` on `n` threads released together.
  template <typename Fn>
  static void Race(int n, Fn fn) {
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        fn(i);
      });
    }
    go = true;
    for (std::thread& t : threads) t.join();
  }
};

TEST_P(OAuthStoreTest, RedeemCodeIsFirstUseExactlyOnce) {
  AuthCode code = TestCode("code1");
  ASSERT_TRUE(store().InsertCode(code).ok());

  AuthCode seen;
  StatusOr<CodeRedemption> first =
      store().RedeemCode("code1", 1100, [&](const AuthCode& c) -> StatusOr<PendingGrant> {
        seen = c;
        return PendingGrant{TestGrant("g1", "account1", "client1", 1100), TestPair("t")};
      });
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->issued.ok());
  EXPECT_EQ(seen.code_hash, "code1");
  EXPECT_EQ(seen.state, code.state);
  EXPECT_TRUE(first->first_use);
  EXPECT_EQ(first->code.used_at, 0);  // as it was before the call
  EXPECT_EQ(first->code.client_id, code.client_id);
  EXPECT_EQ(first->code.account_id, code.account_id);
  EXPECT_EQ(first->code.redirect_uri, code.redirect_uri);
  EXPECT_EQ(first->code.state, code.state);
  EXPECT_EQ(first->code.scopes, code.scopes);
  EXPECT_EQ(first->code.expires_at, code.expires_at);
  EXPECT_EQ(first->code.grant_id, "g1");
  EXPECT_EQ(first->code.code_challenge, code.code_challenge);
  StatusOr<TokenRecord> issued = store().FindToken("t-access");
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->grant.id, "g1");
  EXPECT_EQ(issued->grant.revoked_at, 0);

  StatusOr<CodeRedemption> again = store().RedeemCode("code1", 1200, [](const AuthCode&) {
    ADD_FAILURE() << "a used code issues nothing";
    return StatusOr<PendingGrant>(Internal("unreachable"));
  });
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->first_use);
  EXPECT_EQ(again->code.used_at, 1100);
  EXPECT_EQ(again->code.grant_id, "g1");
  // The replay revoked what the first use issued.
  EXPECT_EQ(store().FindToken("t-access")->grant.revoked_at, 1200);
  EXPECT_TRUE(store().ListActiveGrants("account1")->empty());
}

TEST_P(OAuthStoreTest, ARefusedRedeemSpendsTheCodeAndStoresNoGrant) {
  ASSERT_TRUE(store().InsertCode(TestCode("code1")).ok());
  StatusOr<CodeRedemption> refused = store().RedeemCode(
      "code1", 1100,
      [](const AuthCode&) -> StatusOr<PendingGrant> { return InvalidArgument("wrong state"); });
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  EXPECT_TRUE(refused->first_use);
  EXPECT_EQ(refused->issued.code(), Code::kInvalidArgument);
  EXPECT_EQ(refused->code.grant_id, "");
  StatusOr<CodeRedemption> again = store().RedeemCode("code1", 1200, {});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->first_use);
  EXPECT_EQ(again->code.grant_id, "");
}

TEST_P(OAuthStoreTest, ARedeemWhoseGrantClashesLeavesTheCodeUnused) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1), TestPair("t")).ok());
  ASSERT_TRUE(store().InsertCode(TestCode("code1")).ok());
  StatusOr<CodeRedemption> clash =
      store().RedeemCode("code1", 1100, [](const AuthCode&) -> StatusOr<PendingGrant> {
        return PendingGrant{TestGrant("g2", "a", "c", 2), TestPair("t")};
      });
  EXPECT_EQ(clash.status().code(), Code::kConflict);
  EXPECT_EQ(store().ListActiveGrants("a")->size(), 1u);
  StatusOr<CodeRedemption> retry = store().RedeemCode("code1", 1200, {});
  ASSERT_TRUE(retry.ok());
  EXPECT_TRUE(retry->first_use);
}

TEST_P(OAuthStoreTest, RedeemUnknownCodeIsNotFound) {
  EXPECT_EQ(store().RedeemCode("nope", 1, {}).status().code(), Code::kNotFound);
}

TEST_P(OAuthStoreTest, DuplicateCodeIsConflict) {
  ASSERT_TRUE(store().InsertCode(TestCode("code1")).ok());
  EXPECT_EQ(store().InsertCode(TestCode("code1")).code(), Code::kConflict);
}

TEST_P(OAuthStoreTest, RacingRedeemsGiveExactlyOneFirstUse) {
  constexpr int kCodes = 5;
  constexpr int kThreads = 8;
  for (int c = 0; c < kCodes; ++c) {
    ASSERT_TRUE(store().InsertCode(TestCode("code" + std::to_string(c))).ok());
  }
  for (int c = 0; c < kCodes; ++c) {
    std::atomic<int> first_uses{0};
    std::atomic<int> errors{0};
    Race(kThreads, [&](int i) {
      const std::string grant = "g" + std::to_string(c) + "-" + std::to_string(i);
      StatusOr<CodeRedemption> r = store().RedeemCode(
          "code" + std::to_string(c), 1000 + i, [&](const AuthCode&) -> StatusOr<PendingGrant> {
            return PendingGrant{TestGrant(grant, "a", "c", 1000), TestPair(grant)};
          });
      if (!r.ok()) {
        ++errors;
      } else if (r->first_use) {
        ++first_uses;
      }
    });
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(first_uses.load(), 1) << "code" << c;
    // Every replay came after the one grant was stored, and revoked it.
    EXPECT_TRUE(store().ListActiveGrants("a")->empty()) << "code" << c;
  }
}

TEST_P(OAuthStoreTest, CreateGrantStoresGrantAndBothTokens) {
  Grant grant = TestGrant("g1", "account1", "client1", 1000);
  ASSERT_TRUE(store().CreateGrant(grant, TestPair("t", 4600)).ok());

  StatusOr<TokenRecord> access = store().FindToken("t-access");
  ASSERT_TRUE(access.ok()) << access.status().ToString();
  EXPECT_EQ(access->token_hash, "t-access");
  EXPECT_EQ(access->kind, TokenKind::kAccess);
  EXPECT_EQ(access->expires_at, 4600);
  EXPECT_EQ(access->spent_at, 0);
  EXPECT_EQ(access->grant.id, "g1");
  EXPECT_EQ(access->grant.account_id, "account1");
  EXPECT_EQ(access->grant.client_id, "client1");
  EXPECT_EQ(access->grant.scopes, grant.scopes);
  EXPECT_EQ(access->grant.created_at, 1000);
  EXPECT_EQ(access->grant.revoked_at, 0);
  EXPECT_EQ(access->grant.redirect_uri, grant.redirect_uri);

  StatusOr<TokenRecord> refresh = store().FindToken("t-refresh");
  ASSERT_TRUE(refresh.ok());
  EXPECT_EQ(refresh->kind, TokenKind::kRefresh);
  EXPECT_EQ(refresh->expires_at, 0);
  EXPECT_EQ(refresh->grant.id, "g1");
  EXPECT_EQ(store().FindToken("unknown").status().code(), Code::kNotFound);
}

TEST_P(OAuthStoreTest, CreateGrantWithTakenTokenWritesNothing) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1), TestPair("t")).ok());
  TokenPairHashes clash = TestPair("u");
  clash.refresh_hash = "t-refresh";
  EXPECT_EQ(store().CreateGrant(TestGrant("g2", "a", "c", 2), clash).code(), Code::kConflict);
  EXPECT_EQ(store().FindToken("u-access").status().code(), Code::kNotFound);
  EXPECT_EQ(store().ListActiveGrants("a")->size(), 1u);
}

TEST_P(OAuthStoreTest, RotateRefreshSucceedsOnceThenConflicts) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());

  ASSERT_TRUE(store().RotateRefresh("t1-refresh", 2000, TestPair("t2", 5600)).ok());
  StatusOr<TokenRecord> old_refresh = store().FindToken("t1-refresh");
  ASSERT_TRUE(old_refresh.ok());
  EXPECT_EQ(old_refresh->spent_at, 2000);
  StatusOr<TokenRecord> access = store().FindToken("t2-access");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->grant.id, "g1");
  EXPECT_EQ(access->expires_at, 5600);
  StatusOr<TokenRecord> refresh = store().FindToken("t2-refresh");
  ASSERT_TRUE(refresh.ok());
  EXPECT_EQ(refresh->kind, TokenKind::kRefresh);
  EXPECT_EQ(refresh->spent_at, 0);

  // Reuse of the spent token: conflict, nothing stored.
  EXPECT_EQ(store().RotateRefresh("t1-refresh", 2100, TestPair("t3")).code(), Code::kConflict);
  EXPECT_EQ(store().FindToken("t3-access").status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindToken("t1-refresh")->spent_at, 2000);
  // The new one still rotates.
  EXPECT_TRUE(store().RotateRefresh("t2-refresh", 2200, TestPair("t4")).ok());
}

// The asynchronous rotation, one statement on PostgreSQL, keeps every rule of RotateRefresh.
TEST_P(OAuthStoreTest, RotateRefreshAsyncKeepsTheRules) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());
  ASSERT_TRUE(RotateRefreshAndWait(store(), "t1-refresh", 2000, TestPair("t2", 5600)).ok());
  EXPECT_EQ(store().FindToken("t1-refresh")->spent_at, 2000);
  StatusOr<TokenRecord> access = store().FindToken("t2-access");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->kind, TokenKind::kAccess);
  EXPECT_EQ(access->expires_at, 5600);
  EXPECT_EQ(access->grant.id, "g1");
  StatusOr<TokenRecord> refresh = store().FindToken("t2-refresh");
  ASSERT_TRUE(refresh.ok());
  EXPECT_EQ(refresh->kind, TokenKind::kRefresh);
  EXPECT_EQ(refresh->expires_at, 0);
  EXPECT_EQ(refresh->spent_at, 0);

  EXPECT_EQ(RotateRefreshAndWait(store(), "t1-refresh", 2100, TestPair("t3")).code(),
            Code::kConflict);
  EXPECT_EQ(store().FindToken("t3-access").status().code(), Code::kNotFound);
  EXPECT_EQ(RotateRefreshAndWait(store(), "nope", 2100, TestPair("t3")).code(), Code::kNotFound);
  EXPECT_EQ(RotateRefreshAndWait(store(), "t2-access", 2100, TestPair("t3")).code(),
            Code::kNotFound);
  ASSERT_TRUE(store().RevokeGrant("g1", 2200).ok());
  EXPECT_EQ(RotateRefreshAndWait(store(), "t2-refresh", 2300, TestPair("t3")).code(),
            Code::kConflict);
  EXPECT_EQ(store().FindToken("t3-access").status().code(), Code::kNotFound);
}

// A rotation run again after it committed (its connection lost before the answer) finds its
// own new pair and succeeds, instead of taking itself for a reuse.
TEST_P(OAuthStoreTest, ARotationRunAgainSucceeds) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());
  ASSERT_TRUE(store().RotateRefresh("t1-refresh", 2000, TestPair("t2")).ok());
  EXPECT_TRUE(store().RotateRefresh("t1-refresh", 2000, TestPair("t2")).ok());
  EXPECT_TRUE(RotateRefreshAndWait(store(), "t1-refresh", 2000, TestPair("t2")).ok());
  // Another pair presented with the spent token is still a reuse.
  EXPECT_EQ(store().RotateRefresh("t1-refresh", 2000, TestPair("t3")).code(), Code::kConflict);
}

TEST_P(OAuthStoreTest, RotateRefreshUnknownOrAccessTokenIsNotFound) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());
  EXPECT_EQ(store().RotateRefresh("nope", 2000, TestPair("t2")).code(), Code::kNotFound);
  EXPECT_EQ(store().RotateRefresh("t1-access", 2000, TestPair("t2")).code(), Code::kNotFound);
  EXPECT_EQ(store().FindToken("t2-access").status().code(), Code::kNotFound);
}

TEST_P(OAuthStoreTest, RotateRefreshOnRevokedGrantIsConflict) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());
  ASSERT_TRUE(store().RevokeGrant("g1", 1500).ok());
  EXPECT_EQ(store().RotateRefresh("t1-refresh", 2000, TestPair("t2")).code(), Code::kConflict);
  EXPECT_EQ(store().FindToken("t2-access").status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindToken("t1-refresh")->spent_at, 0);
}

TEST_P(OAuthStoreTest, RacingRotationsSucceedExactlyOnce) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());
  constexpr int kThreads = 8;
  std::atomic<int> ok{0};
  std::atomic<int> conflicts{0};
  std::atomic<int> other{0};
  Race(kThreads, [&](int i) {
    // Half of them asynchronously (one statement on PostgreSQL).
    const TokenPairHashes next = TestPair("n" + std::to_string(i));
    Status s = i % 2 == 0 ? store().RotateRefresh("t1-refresh", 2000, next)
                          : RotateRefreshAndWait(store(), "t1-refresh", 2000, next);
    if (s.ok()) {
      ++ok;
    } else if (s.code() == Code::kConflict) {
      ++conflicts;
    } else {
      ++other;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  int stored = 0;
  for (int i = 0; i < kThreads; ++i) {
    stored += store().FindToken("n" + std::to_string(i) + "-refresh").ok() ? 1 : 0;
  }
  EXPECT_EQ(stored, 1);
}

TEST_P(OAuthStoreTest, RevokeGrantIsIdempotent) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1000), TestPair("t1")).ok());
  ASSERT_TRUE(store().RevokeGrant("g1", 1500).ok());
  ASSERT_TRUE(store().RevokeGrant("g1", 1600).ok());
  EXPECT_EQ(store().FindToken("t1-access")->grant.revoked_at, 1500);  // first revocation kept
  EXPECT_EQ(store().RevokeGrant("nope", 1600).code(), Code::kNotFound);
  EXPECT_TRUE(store().ListActiveGrants("a")->empty());
}

TEST_P(OAuthStoreTest, RevokeGrantsForTouchesOnlyThatAccountAndClient) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 1), TestPair("1")).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("g2", "a", "c", 2), TestPair("2")).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("g3", "a", "other", 3), TestPair("3")).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("g4", "b", "c", 4), TestPair("4")).ok());

  StatusOr<int> revoked = store().RevokeGrantsFor("a", "c", 900);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(*revoked, 2);
  EXPECT_EQ(*store().RevokeGrantsFor("a", "c", 901), 0);
  EXPECT_EQ(store().FindToken("1-access")->grant.revoked_at, 900);
  EXPECT_EQ(store().FindToken("3-access")->grant.revoked_at, 0);
  EXPECT_EQ(store().FindToken("4-access")->grant.revoked_at, 0);
}

TEST_P(OAuthStoreTest, ListActiveGrantsIsNewestFirst) {
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c1", 100), TestPair("1")).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("g2", "a", "c2", 300), TestPair("2")).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("g3", "a", "c3", 200), TestPair("3")).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("g4", "b", "c1", 400), TestPair("4")).ok());
  ASSERT_TRUE(store().RevokeGrant("g3", 500).ok());

  StatusOr<std::vector<Grant>> grants = store().ListActiveGrants("a");
  ASSERT_TRUE(grants.ok()) << grants.status().ToString();
  ASSERT_EQ(grants->size(), 2u);
  EXPECT_EQ((*grants)[0].id, "g2");
  EXPECT_EQ((*grants)[0].client_id, "c2");
  EXPECT_EQ((*grants)[0].scopes, TestGrant("", "", "", 0).scopes);
  EXPECT_EQ((*grants)[1].id, "g1");
  EXPECT_TRUE(store().ListActiveGrants("nobody")->empty());
}

TEST_P(OAuthStoreTest, MarksAtTimeZeroStillCount) {
  ASSERT_TRUE(store().InsertCode(TestCode("code1")).ok());
  EXPECT_TRUE(store().RedeemCode("code1", 0, {})->first_use);
  EXPECT_FALSE(store().RedeemCode("code1", 0, {})->first_use);
  ASSERT_TRUE(store().CreateGrant(TestGrant("g1", "a", "c", 0), TestPair("t1")).ok());
  ASSERT_TRUE(store().RotateRefresh("t1-refresh", 0, TestPair("t2")).ok());
  EXPECT_EQ(store().RotateRefresh("t1-refresh", 0, TestPair("t3")).code(), Code::kConflict);
  ASSERT_TRUE(store().RevokeGrant("g1", 0).ok());
  EXPECT_TRUE(store().ListActiveGrants("a")->empty());
}

TEST_P(OAuthStoreTest, DeleteStaleRemovesWhatNoRequestCanUseAndNothingElse) {
  // Grant "live": pair a (access expired at 500), rotated to b at 600, b rotated to c at 950.
  ASSERT_TRUE(store().CreateGrant(TestGrant("live", "a", "c", 100), TestPair("a", 500)).ok());
  ASSERT_TRUE(store().RotateRefresh("a-refresh", 600, TestPair("b", 5000)).ok());
  ASSERT_TRUE(store().RotateRefresh("b-refresh", 950, TestPair("c", 5000)).ok());
  // An access token that never expires, an expired one of a pending grant (activation moves
  // its expiry), the tokens of a grant revoked long ago and of one revoked lately.
  ASSERT_TRUE(store().CreateGrant(TestGrant("never", "a", "c", 100), TestPair("n", 0)).ok());
  Grant pending = TestGrant("pending", "a", "c", 100);
  pending.pending = true;
  ASSERT_TRUE(store().CreateGrant(pending, TestPair("p", 500)).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("old", "a", "c", 50), TestPair("o", 5000)).ok());
  ASSERT_TRUE(store().RevokeGrant("old", 100).ok());
  ASSERT_TRUE(store().CreateGrant(TestGrant("new", "a", "c", 50), TestPair("r", 5000)).ok());
  ASSERT_TRUE(store().RevokeGrant("new", 900).ok());
  // Codes: one live, one expired and never used, one used and expired.
  ASSERT_TRUE(store().InsertCode(TestCode("code-live")).ok());  // expires at 1600
  AuthCode unused = TestCode("code-unused");
  unused.expires_at = 900;
  ASSERT_TRUE(store().InsertCode(unused).ok());
  AuthCode used = TestCode("code-used");
  used.expires_at = 900;
  ASSERT_TRUE(store().InsertCode(used).ok());
  ASSERT_TRUE(store().RedeemCode("code-used", 800, {})->first_use);

  OAuthStaleRows stale;
  stale.access_expired_before = 1000;
  stale.spent_before = 700;
  stale.revoked_before = 500;
  stale.codes_expired_before = 1000;
  stale.chunk_rows = 2;  // many ranges, some holding nothing to remove
  StatusOr<int> removed = store().DeleteStale(stale);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 6);  // a's pair, old's pair, two codes

  for (const char* gone : {"a-access", "a-refresh", "o-access", "o-refresh"}) {
    EXPECT_EQ(store().FindToken(gone).status().code(), Code::kNotFound) << gone;
  }
  for (const char* kept : {"b-access", "b-refresh", "c-access", "c-refresh", "n-access",
                           "n-refresh", "p-access", "p-refresh", "r-access", "r-refresh"}) {
    EXPECT_TRUE(store().FindToken(kept).ok()) << kept;
  }
  // The spent refresh token b still tells reuse from an unknown token; a's no longer does.
  EXPECT_EQ(store().RotateRefresh("b-refresh", 1000, TestPair("x")).code(), Code::kConflict);
  EXPECT_EQ(store().RotateRefresh("a-refresh", 1000, TestPair("y")).code(), Code::kNotFound);
  EXPECT_TRUE(store().RedeemCode("code-live", 1000, {}).ok());
  EXPECT_EQ(store().RedeemCode("code-unused", 1000, {}).status().code(), Code::kNotFound);
  EXPECT_EQ(store().RedeemCode("code-used", 1000, {}).status().code(), Code::kNotFound);

  stale.chunk_rows = 1000;  // one range: the same rule, nothing left of it
  EXPECT_EQ(*store().DeleteStale(stale), 0);
  OAuthStaleRows none;  // every bound 0: nothing
  EXPECT_EQ(*store().DeleteStale(none), 0);
  stale.spent_before = 1000;  // b's spent refresh token now, and the grant revoked at 900
  stale.revoked_before = 1000;
  EXPECT_EQ(*store().DeleteStale(stale), 3);
  EXPECT_EQ(store().FindToken("b-refresh").status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindToken("r-access").status().code(), Code::kNotFound);
  EXPECT_TRUE(store().FindToken("c-refresh").ok());
}

CS_INSTANTIATE_STORE_TESTS(OAuthStoreTest);

}  // namespace
}  // namespace countersign::testing_store
