// A fixture with every service over an in-memory SQLite database and a FakeClock.
#pragma once

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/oauth_service.h"
#include "service/session_service.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {

class ServiceFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    auto stores = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    stores_ = std::move(stores).value();
    accounts_ = std::make_unique<AccountService>(*stores_.accounts, clock_,
                                                 AccountService::Options{true, 8});
    apps_ = std::make_unique<AppService>(*stores_.apps, clock_);
    oauth_ = std::make_unique<OAuthService>(*stores_.apps, *stores_.oauth, *stores_.accounts,
                                            clock_, OAuthService::Options{});
    sessions_ =
        std::make_unique<SessionService>(*stores_.sessions, clock_, SessionService::Options{});
  }

  NewAccount MakeAccount(const std::string& email) {
    auto a = accounts_->Create(email, "correct horse battery");
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return std::move(a).value();
  }

  NewApp MakeApp(const std::string& owner, std::vector<std::string> scopes = {"account_access"},
                 bool approved = true) {
    AppFields f;
    f.name = "Test App";
    f.domains = std::vector<std::string>{"example.com"};
    f.oauth = OAuthSettings{"https://example.com/oauth", std::move(scopes)};
    auto app = apps_->Create(owner, f);
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    if (approved) {
      EXPECT_TRUE(apps_->Approve(app->app.client_id).ok());
    }
    return std::move(app).value();
  }

  FakeClock clock_;
  Stores stores_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<AppService> apps_;
  std::unique_ptr<OAuthService> oauth_;
  std::unique_ptr<SessionService> sessions_;
};

}  // namespace countersign
