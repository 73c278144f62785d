#include "service/account_service.h"

#include "service/service_fixture.h"

namespace countersign {
namespace {

// Each test runs twice: in memory, and on a database file with the API-key cache
// (ExactReadCache) on, which must answer exactly as the database does.
class AccountServiceTest : public ServiceFixture, public ::testing::WithParamInterface<bool> {
 protected:
  bool DatabaseFile() const override { return GetParam(); }
};

TEST_P(AccountServiceTest, SignUpThenLogInWithTheSamePassword) {
  auto created = accounts_->Create("Alice@Example.com ", "correct horse battery");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->account.email, "alice@example.com");
  EXPECT_EQ(created->account.id.size(), 40u);
  EXPECT_TRUE(created->account.password_hash.rfind("$argon2id$", 0) == 0);
  EXPECT_TRUE(accounts_->Authenticate("alice@example.com", "correct horse battery").ok());
  EXPECT_EQ(accounts_->Authenticate("alice@example.com", "wrong password").status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(accounts_->Authenticate("nobody@example.com", "x").status().code(),
            Code::kUnauthenticated);
}

TEST_P(AccountServiceTest, RejectsBadInputWithThePath) {
  EXPECT_EQ(accounts_->Create("not-an-email", "long enough").status().path(), "email_address");
  EXPECT_EQ(accounts_->Create("a@example.com", "short").status().path(), "password");
  ASSERT_TRUE(accounts_->Create("a@example.com", "long enough").ok());
  auto dup = accounts_->Create("A@example.com", "long enough");
  EXPECT_EQ(dup.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(dup.status().path(), "email_address");
}

TEST_P(AccountServiceTest, ApiKeyAuthenticatesAndRotates) {
  auto created = MakeAccount("k@example.com");
  EXPECT_EQ(created.api_key.size(), 64u);
  EXPECT_EQ(created.account.api_key_hash, Sha256Hex(created.api_key));
  EXPECT_TRUE(accounts_->AuthenticateApiKey(created.api_key).ok());
  EXPECT_TRUE(accounts_->AuthenticateApiKey(created.api_key).ok());  // cached on a file
  auto next = accounts_->RotateApiKey(created.account.id);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(accounts_->AuthenticateApiKey(created.api_key).ok());
  auto who = accounts_->AuthenticateApiKey(*next);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->api_key_hint, next->substr(60));
}

TEST_P(AccountServiceTest, UpdateValidatesCallbackAndLocale) {
  auto a = MakeAccount("u@example.com");
  AccountChanges bad_url;
  bad_url.callback_url = "not a url";
  EXPECT_EQ(accounts_->Update(a.account.id, bad_url).status().path(), "callback_url");
  AccountChanges bad_locale;
  bad_locale.locale = "xx-XX";
  EXPECT_EQ(accounts_->Update(a.account.id, bad_locale).status().path(), "locale");
  AccountChanges good;
  good.callback_url = "https://example.com/events";
  good.locale = "fr-FR";
  auto updated = accounts_->Update(a.account.id, good);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->callback_url.value_or(""), "https://example.com/events");
  EXPECT_EQ(accounts_->Get(a.account.id)->locale, "fr-FR");
}

TEST_P(AccountServiceTest, SessionsRotateOnLogInAndCarryCsrf) {
  auto anon = sessions_->Start();
  ASSERT_TRUE(anon.ok());
  EXPECT_TRUE(anon->account_id.empty());
  EXPECT_TRUE(SessionService::CsrfMatches(*anon, anon->csrf_token));
  EXPECT_FALSE(SessionService::CsrfMatches(*anon, ""));
  auto in = sessions_->LogIn(anon->cookie_value, "acct");
  ASSERT_TRUE(in.ok());
  EXPECT_NE(in->cookie_value, anon->cookie_value);
  auto old = sessions_->Resume(anon->cookie_value);
  ASSERT_TRUE(old.ok());  // an anonymous cookie stays a harmless anonymous session
  EXPECT_TRUE(old->account_id.empty());
  auto resumed = sessions_->Resume(in->cookie_value);
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->account_id, "acct");
  EXPECT_FALSE(SessionService::CsrfMatches(*resumed, anon->csrf_token));
}

TEST_P(AccountServiceTest, AnonymousSessionsStoreNothing) {
  for (int i = 0; i < 3; ++i) {
    auto anon = sessions_->Start();
    ASSERT_TRUE(anon.ok());
    auto resumed = sessions_->Resume(anon->cookie_value);
    ASSERT_TRUE(resumed.ok());
    EXPECT_TRUE(resumed->account_id.empty());
    EXPECT_EQ(resumed->csrf_token, anon->csrf_token);
    EXPECT_TRUE(sessions_->LogOut(anon->cookie_value).ok());
  }
  // DeleteExpired with a far future "now" counts every stored session.
  EXPECT_EQ(*stores_.sessions->DeleteExpired(int64_t{1} << 62), 0);
  auto anon = sessions_->Start();
  ASSERT_TRUE(sessions_->LogIn(anon->cookie_value, "acct").ok());
  EXPECT_EQ(*stores_.sessions->DeleteExpired(int64_t{1} << 62), 1);
  // A made-up or malformed cookie is not a session.
  EXPECT_EQ(sessions_->Resume(std::string(64, 'a')).status().code(), Code::kNotFound);
  EXPECT_EQ(sessions_->Resume("anon-xyz").status().code(), Code::kNotFound);
}

TEST_P(AccountServiceTest, AnApiKeyOfAnAccountLockedAMomentAgoIsRefused) {
  auto created = MakeAccount("lock@example.com");
  ASSERT_TRUE(accounts_->AuthenticateApiKey(created.api_key).ok());
  ASSERT_TRUE(accounts_->AuthenticateApiKey(created.api_key).ok());
  StatusOr<Account> account = stores_.accounts->FindById(created.account.id);
  ASSERT_TRUE(account.ok());
  account->is_locked = true;
  ASSERT_TRUE(stores_.accounts->Update(*account).ok());
  EXPECT_EQ(accounts_->AuthenticateApiKey(created.api_key).status().code(), Code::kUnauthenticated);
  account->is_locked = false;
  ASSERT_TRUE(stores_.accounts->Update(*account).ok());
  EXPECT_TRUE(accounts_->AuthenticateApiKey(created.api_key).ok());
}

INSTANTIATE_TEST_SUITE_P(Databases, AccountServiceTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "FileWithApiKeyCache" : "InMemory";
                         });

}  // namespace
}  // namespace countersign
