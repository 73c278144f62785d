#include "service/app_service.h"

#include "service/service_fixture.h"

namespace countersign {
namespace {

class AppServiceTest : public ServiceFixture {
 protected:
  AppFields Valid() {
    AppFields f;
    f.name = "My App";
    f.domains = std::vector<std::string>{"example.com"};
    return f;
  }
};

TEST_F(AppServiceTest, ValidationNamesTheParameter) {
  auto owner = MakeAccount("o@example.com");
  AppFields f = Valid();
  f.name.reset();
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "name");
  f = Valid();
  f.domains = std::vector<std::string>{};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "domains");
  f.domains = std::vector<std::string>(11, "a.com");
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "domains");
  f.domains = std::vector<std::string>{"ok.com", "bad domain"};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "domains[1]");
  f = Valid();
  f.oauth = OAuthSettings{"https://example.com/cb", {"account_access", "nope"}};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "oauth[scopes][1]");
  f.oauth = OAuthSettings{"https://example.com/cb", {}};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "oauth[scopes]");
  f.oauth = OAuthSettings{"", {"account_access"}};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "oauth[callback_url]");
  f.oauth = OAuthSettings{"javascript:alert(1)", {"account_access"}};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "oauth[callback_url]");
  f.oauth = OAuthSettings{"https://example.com/cb", {"request_signature", "account_access"}};
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "oauth[scopes][1]");
  f = Valid();
  f.callback_url = "ftp://example.com/events";
  EXPECT_EQ(apps_->Create(owner.account.id, f).status().path(), "callback_url");
}

TEST_F(AppServiceTest, SecretIsStoredOnlyAsAHash) {
  auto owner = MakeAccount("o@example.com");
  auto created = apps_->Create(owner.account.id, Valid());
  ASSERT_TRUE(created.ok());
  auto stored = apps_->Get(created->app.client_id);
  ASSERT_TRUE(stored.ok());
  EXPECT_NE(stored->secret_hash, created->client_secret);
  EXPECT_EQ(stored->secret_hash, Sha256Hex(created->client_secret));
  EXPECT_TRUE(AppService::SecretMatches(*stored, created->client_secret));
  EXPECT_FALSE(AppService::SecretMatches(*stored, ""));
}

TEST_F(AppServiceTest, OnlyTheOwnerChangesOrDeletes) {
  auto owner = MakeAccount("o@example.com");
  auto other = MakeAccount("x@example.com");
  auto created = apps_->Create(owner.account.id, Valid());
  ASSERT_TRUE(created.ok());
  AppFields rename;
  rename.name = "Renamed";
  EXPECT_EQ(apps_->Update(other.account.id, created->app.client_id, rename).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(apps_->Delete(other.account.id, created->app.client_id).code(),
            Code::kPermissionDenied);
  auto updated = apps_->Update(owner.account.id, created->app.client_id, rename);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "Renamed");
  EXPECT_EQ(updated->domains, std::vector<std::string>{"example.com"});  // untouched
}

TEST_F(AppServiceTest, UpdateWithEmptyStringClearsTheCallback) {
  auto owner = MakeAccount("o@example.com");
  AppFields f = Valid();
  f.callback_url = "https://example.com/events";
  auto created = apps_->Create(owner.account.id, f);
  ASSERT_TRUE(created.ok());
  AppFields clear;
  clear.callback_url = "";
  auto updated = apps_->Update(owner.account.id, created->app.client_id, clear);
  ASSERT_TRUE(updated.ok());
  EXPECT_FALSE(updated->callback_url.has_value());
}

TEST_F(AppServiceTest, ListPagesAndBounds) {
  auto owner = MakeAccount("o@example.com");
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(1);
    ASSERT_TRUE(apps_->Create(owner.account.id, Valid()).ok());
  }
  auto page = apps_->List(owner.account.id, 2, 2);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  EXPECT_EQ(page->apps.size(), 2u);
  auto last = apps_->List(owner.account.id, 3, 2);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->apps.size(), 1u);
  EXPECT_EQ(apps_->List(owner.account.id, 1, 0).status().path(), "page_size");
  EXPECT_EQ(apps_->List(owner.account.id, 1, 101).status().path(), "page_size");
}

}  // namespace
}  // namespace countersign
