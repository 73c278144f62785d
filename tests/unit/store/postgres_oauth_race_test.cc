// The OAuth flow across two instances (two OAuthServices, each over its own Stores) on one
// PostgreSQL database: a code issued by one instance is redeemed at the other; racing
// exchanges of one code or one refresh token succeed exactly once, and the refresh race revokes
// the grant per the reuse rule (RFC 9700 §4.14.2).
#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "core/clock.h"
#include "core/crypto.h"
#include "postgres_race_fixture.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/oauth_service.h"

namespace countersign::testing_store {
namespace {

struct Services {
  Services(Stores& stores, const Clock& clock)
      : accounts(*stores.accounts, clock, AccountService::Options{true, 8}),
        apps(*stores.apps, clock),
        oauth(*stores.apps, *stores.oauth, *stores.accounts, clock, OAuthService::Options{}) {}
  AccountService accounts;
  AppService apps;
  OAuthService oauth;
};

class PostgresOAuthRaceTest : public PostgresRaceTest {
 protected:
  void SetUp() override {
    PostgresRaceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(InitCrypto().ok());
    one_ = std::make_unique<Services>(a_, clock_);
    two_ = std::make_unique<Services>(b_, clock_);
    auto account = one_->accounts.Create("alice@example.com", "correct horse battery");
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    account_id_ = account->account.id;
    AppFields fields;
    fields.name = "Race App";
    fields.domains = std::vector<std::string>{"example.com"};
    fields.oauth = OAuthSettings{"https://example.com/oauth", {"basic_account_info"}};
    auto app = two_->apps.Create(account_id_, fields);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    ASSERT_TRUE(one_->apps.Approve(app_.app.client_id).ok());
  }
  void TearDown() override {
    one_.reset();
    two_.reset();
    PostgresRaceTest::TearDown();
  }

  Services& Service(int i) { return i % 2 == 0 ? *one_ : *two_; }

  // A code issued through instance one.
  std::string IssueCode() {
    auto request = one_->oauth.ValidateAuthorize("code", app_.app.client_id,
                                                 "https://example.com/oauth", "st");
    EXPECT_TRUE(request.ok()) << request.status().ToString();
    auto code = one_->oauth.IssueCode(*request, account_id_, request->consent_digest);
    EXPECT_TRUE(code.ok()) << code.status().ToString();
    return code.ok() ? *code : "";
  }
  CodeExchange Exchange(const std::string& code) {
    return {app_.app.client_id, app_.client_secret, code, "st", "", {}};
  }
  // New apps refresh only with their client credentials (docs/oauth-security.md).
  RefreshExchange WithClient(const std::string& refresh_token) {
    return {refresh_token, app_.app.client_id, app_.client_secret};
  }

  FakeClock clock_;
  std::unique_ptr<Services> one_, two_;
  std::string account_id_;
  NewApp app_;
};

TEST_F(PostgresOAuthRaceTest, CodeIssuedByOneInstanceIsRedeemedAtTheOther) {
  auto tokens = two_->oauth.ExchangeCode(Exchange(IssueCode()));
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_TRUE(one_->oauth.AuthenticateBearer(tokens->access_token).ok());
  auto refreshed = one_->oauth.Refresh(WithClient(tokens->refresh_token));
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  EXPECT_TRUE(two_->oauth.AuthenticateBearer(refreshed->access_token).ok());
}

TEST_F(PostgresOAuthRaceTest, RacingExchangesOfOneCodeSucceedOnce) {
  for (int round = 0; round < 3; ++round) {
    const std::string code = IssueCode();
    std::atomic<int> wins{0}, invalid{0};
    Race(6, [&](int i) {
      auto tokens = Service(i).oauth.ExchangeCode(Exchange(code));
      if (tokens.ok()) {
        ++wins;
      } else if (tokens.status().code() == Code::kInvalidGrant) {
        ++invalid;
      } else {
        ADD_FAILURE() << tokens.status().ToString();
      }
    });
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(invalid.load(), 5);
  }
}

TEST_F(PostgresOAuthRaceTest, RacingRefreshesRotateOnceAndRevokeTheGrant) {
  auto tokens = one_->oauth.ExchangeCode(Exchange(IssueCode()));
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  std::mutex mu;
  std::vector<TokenResponse> winners;
  std::atomic<int> invalid{0};
  Race(6, [&](int i) {
    auto next = Service(i).oauth.Refresh(WithClient(tokens->refresh_token));
    if (next.ok()) {
      std::lock_guard<std::mutex> lock(mu);
      winners.push_back(*next);
    } else if (next.status().code() == Code::kInvalidGrant) {
      ++invalid;
    } else {
      ADD_FAILURE() << next.status().ToString();
    }
  });
  ASSERT_EQ(winners.size(), 1u);
  EXPECT_EQ(invalid.load(), 5);
  // The losers presented a spent token: the whole grant is revoked, the winner's pair too.
  EXPECT_EQ(one_->oauth.AuthenticateBearer(winners[0].access_token).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(two_->oauth.Refresh(WithClient(winners[0].refresh_token)).status().code(),
            Code::kInvalidGrant);
  EXPECT_TRUE(one_->oauth.ListAuthorizedApps(account_id_)->empty());
}

}  // namespace
}  // namespace countersign::testing_store
