// The bearer cache under concurrency, on a SQLite file: threads authenticate one token without
// pause (from the cache, once read) while another revokes its grant. Every authentication that
// began after the revocation returned must fail: the cache is exact, not eventually right.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "service/oauth_service.h"
#include "service/service_fixture.h"

namespace countersign {
namespace {

class BearerCacheRaceTest : public ServiceFixture {
 protected:
  bool DatabaseFile() const override { return true; }
};

TEST_F(BearerCacheRaceTest, NoAuthenticationThatBeginsAfterARevocationSucceeds) {
  NewAccount owner = MakeAccount("owner@example.com");
  NewAccount user = MakeAccount("user@example.com");
  NewApp app = MakeApp(owner.account.id);
  for (int round = 0; round < 5; ++round) {
    auto authorize = oauth_->ValidateAuthorize("code", app.app.client_id, "", "st4te");
    ASSERT_TRUE(authorize.ok()) << authorize.status().ToString();
    auto code = oauth_->IssueCode(*authorize, user.account.id, authorize->consent_digest);
    ASSERT_TRUE(code.ok()) << code.status().ToString();
    auto tokens =
        oauth_->ExchangeCode({app.app.client_id, app.client_secret, *code, "st4te", "", {}});
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    const std::string access = tokens->access_token;

    std::atomic<bool> revoked{false};
    std::atomic<bool> stop{false};
    std::atomic<int> served_before{0};
    std::atomic<int> wrongly_served{0};
    std::atomic<int> refused_after{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
      readers.emplace_back([&] {
        while (!stop.load()) {
          const bool after = revoked.load();  // before the call begins
          const bool ok = oauth_->AuthenticateBearer(access).ok();
          if (after && ok) ++wrongly_served;
          if (after && !ok) ++refused_after;
          if (!after && ok) ++served_before;
        }
      });
    }
    // Bounded waits: a broken cache fails the expectations below instead of hanging.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    auto waiting = [&] { return std::chrono::steady_clock::now() < deadline; };
    while (served_before.load() < 200 && waiting()) std::this_thread::yield();
    ASSERT_TRUE(oauth_->RevokeApp(user.account.id, app.app.client_id).ok());
    revoked.store(true);
    while (refused_after.load() + wrongly_served.load() < 200 && waiting()) {
      std::this_thread::yield();
    }
    stop.store(true);
    for (std::thread& reader : readers) reader.join();
    EXPECT_GE(served_before.load(), 200) << "round " << round;
    EXPECT_EQ(wrongly_served.load(), 0) << "round " << round;
    EXPECT_GE(refused_after.load(), 200) << "round " << round;
  }
  std::optional<ReadCacheStats> stats = oauth_->BearerCacheStats();
  ASSERT_TRUE(stats.has_value());
  EXPECT_GT(stats->hits, stats->reads);  // the tokens were mostly served from the cache
}

}  // namespace
}  // namespace countersign
