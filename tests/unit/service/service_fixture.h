// A fixture with every service over an in-memory SQLite database and a FakeClock; or over a
// database file in a scratch folder, whose stores come with a commit watch (so OAuthService and
// AccountService cache the reads that authenticate), when a test's DatabaseFile() says so.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

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
    std::string path = ":memory:";
    if (DatabaseFile()) {
      std::string pattern = (std::filesystem::temp_directory_path() / "cs-service-XXXXXX").string();
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      scratch_ = pattern;
      path = (scratch_ / "countersign.db").string();
    }
    auto stores = OpenSqliteStores(path, 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    stores_ = std::move(stores).value();
    AccountService::Options account_options{true, 8};
    account_options.commit_watch = stores_.commit_watch.get();
    accounts_ = std::make_unique<AccountService>(*stores_.accounts, clock_, account_options);
    apps_ = std::make_unique<AppService>(*stores_.apps, clock_);
    OAuthService::Options oauth_options;
    oauth_options.commit_watch = stores_.commit_watch.get();
    oauth_ = std::make_unique<OAuthService>(*stores_.apps, *stores_.oauth, *stores_.accounts,
                                            clock_, oauth_options);
    sessions_ =
        std::make_unique<SessionService>(*stores_.sessions, clock_, SessionService::Options{});
  }

  // The services and the stores close before the database file's folder goes (here, not in
  // TearDown, which subclasses override).
  ~ServiceFixture() override {
    sessions_.reset();
    oauth_.reset();
    apps_.reset();
    accounts_.reset();
    stores_ = Stores{};
    std::error_code ignored;
    if (!scratch_.empty()) std::filesystem::remove_all(scratch_, ignored);
  }

  // True for a database file rather than an in-memory database.
  virtual bool DatabaseFile() const { return false; }

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
  std::filesystem::path scratch_;  // the database file's folder; empty in memory
  Stores stores_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<AppService> apps_;
  std::unique_ptr<OAuthService> oauth_;
  std::unique_ptr<SessionService> sessions_;
};

}  // namespace countersign
