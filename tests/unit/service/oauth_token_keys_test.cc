#include "service/oauth_token_keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "core/ids.h"
#include "service/service_fixture.h"

namespace countersign {
namespace {

TEST(OAuthTokenKeysTest, ATokenIs80HexDigitsAndItsKeyIsItsOrderThenItsHash) {
  FakeClock clock;
  OAuthTokenMinter minter(clock, 0);
  const std::string token = minter.Mint();
  ASSERT_EQ(token.size(), 80u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
  EXPECT_EQ(OAuthTokenKey(token), token.substr(0, 16) + Sha256Hex(token));
  // The order digits alone find nothing: the random part is in the hash.
  std::string other = token;
  other[79] = other[79] == '0' ? '1' : '0';
  EXPECT_NE(OAuthTokenKey(other), OAuthTokenKey(token));
  EXPECT_EQ(OAuthTokenKey(other).substr(0, 16), token.substr(0, 16));
}

TEST(OAuthTokenKeysTest, KeysSortInMintOrderEvenWithinOneSecond) {
  FakeClock clock;
  OAuthTokenMinter minter(clock, 0);
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) {
    if (i == 500) clock.Advance(1);
    keys.push_back(OAuthTokenKey(minter.Mint()));
  }
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), keys.size());
  // The order is the clock's microsecond when that is ahead of the last token's.
  EXPECT_EQ(keys[500].substr(0, 16), [&] {
    char digits[17];
    std::snprintf(digits, sizeof digits, "%016llx",
                  static_cast<unsigned long long>(clock.NowMicros()));
    return std::string(digits);
  }());
  // A clock that goes back does not make the order go back.
  clock.Advance(-10);
  EXPECT_GT(OAuthTokenKey(minter.Mint()), keys.back());
}

TEST(OAuthTokenKeysTest, ThreadsMintingAtOnceNeverShareAnOrder) {
  FakeClock clock;
  OAuthTokenMinter minter(clock, 0);
  constexpr int kThreads = 4;
  constexpr int kEach = 2000;
  std::vector<std::vector<std::string>> minted(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) minted[t].push_back(minter.Mint().substr(0, 16));
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> orders;
  for (const auto& some : minted) {
    EXPECT_TRUE(std::is_sorted(some.begin(), some.end()));
    orders.insert(some.begin(), some.end());
  }
  EXPECT_EQ(orders.size(), static_cast<size_t>(kThreads * kEach));
}

TEST(OAuthTokenKeysTest, UntilOrderedFromItMintsTheFormatBefore) {
  FakeClock clock;
  OAuthTokenMinter minter(clock, clock.NowSeconds() + 10);
  const std::string before = minter.Mint();
  EXPECT_EQ(before.size(), 64u);
  EXPECT_EQ(OAuthTokenKey(before), Sha256Hex(before));
  clock.Advance(10);
  EXPECT_EQ(minter.Mint().size(), 80u);
}

TEST(OAuthTokenKeysTest, OtherStringsAreKeptUnderTheirPlainHash) {
  const std::string legacy = NewSecret();  // tokens before this format: 64 hex digits
  ASSERT_EQ(legacy.size(), 64u);
  EXPECT_EQ(OAuthTokenKey(legacy), Sha256Hex(legacy));
  const std::string upper(80, 'A');  // 80 characters, but not lowercase hex
  EXPECT_EQ(OAuthTokenKey(upper), Sha256Hex(upper));
  EXPECT_EQ(OAuthTokenKey(""), Sha256Hex(""));
}

class OrderedTokensFromTest : public ServiceFixture {};

TEST_F(OrderedTokensFromTest, ANewDatabaseStartsAtOnceAndEveryInstanceReadsTheSameMoment) {
  StatusOr<int64_t> from = OrderedTokensFrom(*stores_.settings, clock_);
  ASSERT_TRUE(from.ok()) << from.status().ToString();
  EXPECT_EQ(*from, clock_.NowSeconds());
  clock_.Advance(100);  // another instance, or a restart, later
  EXPECT_EQ(*OrderedTokensFrom(*stores_.settings, clock_), *from);
}

TEST_F(OrderedTokensFromTest, ADatabaseServedBeforeWaitsAnHour) {
  ASSERT_TRUE(stores_.settings->GetOrCreate(kSealIdentitySetting, "{}").ok());
  StatusOr<int64_t> from = OrderedTokensFrom(*stores_.settings, clock_);
  ASSERT_TRUE(from.ok()) << from.status().ToString();
  EXPECT_EQ(*from, clock_.NowSeconds() + kOrderedTokensDelaySeconds);
  clock_.Advance(kOrderedTokensDelaySeconds);
  EXPECT_EQ(*OrderedTokensFrom(*stores_.settings, clock_), *from);  // not pushed back again
}

// A server upgraded from 64-digit tokens: the tokens it issued before still work, and a refresh
// hands out tokens of the new format.
class OAuthLegacyTokenTest : public ServiceFixture {};

TEST_F(OAuthLegacyTokenTest, TokensIssuedBeforeTheFormatStillAuthenticateAndRefresh) {
  NewAccount owner = MakeAccount("owner@example.com");
  NewAccount user = MakeAccount("user@example.com");
  NewApp app = MakeApp(owner.account.id);
  const std::string access = NewSecret();
  const std::string refresh = NewSecret();
  Grant grant;
  grant.id = NewInternalId();
  grant.account_id = user.account.id;
  grant.client_id = app.app.client_id;
  grant.scopes = app.app.scopes;
  grant.redirect_uri = app.app.oauth_callback_url;
  grant.created_at = clock_.NowSeconds();
  TokenPairHashes hashes{Sha256Hex(access), clock_.NowSeconds() + 3600, Sha256Hex(refresh)};
  ASSERT_TRUE(stores_.oauth->CreateGrant(grant, hashes).ok());

  auto who = oauth_->AuthenticateBearer(access);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->account_id, user.account.id);
  auto next = oauth_->Refresh({refresh, app.app.client_id, app.client_secret});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->refresh_token.size(), 80u);
  EXPECT_TRUE(oauth_->AuthenticateBearer(next->access_token).ok());
  // The old refresh token was spent like any other: presenting it again revokes the grant.
  EXPECT_EQ(oauth_->Refresh({refresh, app.app.client_id, app.client_secret}).status().code(),
            Code::kInvalidGrant);
  EXPECT_FALSE(oauth_->AuthenticateBearer(next->access_token).ok());
}

}  // namespace
}  // namespace countersign
