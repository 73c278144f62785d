// AccountStore contract tests, run against every backend (store_test_fixture.h).
#include "store/account_store.h"

#include <gtest/gtest.h>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class AccountStoreTest : public StoreTest {
 protected:
  AccountStore& store() { return *stores_.accounts; }
};

void ExpectSameAccount(const Account& a, const Account& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.password_hash, b.password_hash);
  EXPECT_EQ(a.api_key_hash, b.api_key_hash);
  EXPECT_EQ(a.api_key_hint, b.api_key_hint);
  EXPECT_EQ(a.callback_url, b.callback_url);
  EXPECT_EQ(a.locale, b.locale);
  EXPECT_EQ(a.is_locked, b.is_locked);
  EXPECT_EQ(a.email_confirmed, b.email_confirmed);
  EXPECT_EQ(a.is_admin, b.is_admin);
  EXPECT_EQ(a.created_at, b.created_at);
}

TEST_P(AccountStoreTest, CreateThenFindByEveryKey) {
  Account account = TestAccount(1);
  ASSERT_TRUE(store().Create(account).ok());

  StatusOr<Account> by_id = store().FindById(account.id);
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  ExpectSameAccount(*by_id, account);
  StatusOr<Account> by_email = store().FindByEmail(account.email);
  ASSERT_TRUE(by_email.ok());
  ExpectSameAccount(*by_email, account);
  StatusOr<Account> by_key = store().FindByApiKeyHash(account.api_key_hash);
  ASSERT_TRUE(by_key.ok());
  ExpectSameAccount(*by_key, account);
}

TEST_P(AccountStoreTest, OptionalAndDefaultFieldsRoundTrip) {
  Account account = TestAccount(2);
  account.callback_url.reset();
  account.password_hash = "";
  account.is_locked = true;
  account.email_confirmed = false;
  ASSERT_TRUE(store().Create(account).ok());
  StatusOr<Account> found = store().FindById(account.id);
  ASSERT_TRUE(found.ok());
  ExpectSameAccount(*found, account);
  EXPECT_FALSE(found->callback_url.has_value());
}

TEST_P(AccountStoreTest, MissingAccountsAreNotFound) {
  ASSERT_TRUE(store().Create(TestAccount(1)).ok());
  EXPECT_EQ(store().FindById("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindByEmail("nobody@example.com").status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindByApiKeyHash("nohash").status().code(), Code::kNotFound);
}

TEST_P(AccountStoreTest, TakenEmailIsConflictOnEmailAddress) {
  ASSERT_TRUE(store().Create(TestAccount(1)).ok());
  Account other = TestAccount(2);
  other.email = TestAccount(1).email;
  Status status = store().Create(other);
  EXPECT_EQ(status.code(), Code::kConflict);
  EXPECT_EQ(status.path(), "email_address");
  EXPECT_EQ(store().FindById(other.id).status().code(), Code::kNotFound);
}

TEST_P(AccountStoreTest, TakenIdIsConflict) {
  ASSERT_TRUE(store().Create(TestAccount(1)).ok());
  Account other = TestAccount(2);
  other.id = TestAccount(1).id;
  EXPECT_EQ(store().Create(other).code(), Code::kConflict);
}

TEST_P(AccountStoreTest, EmptyApiKeyHashMatchesNothing) {
  Account a = TestAccount(1);
  Account b = TestAccount(2);
  a.api_key_hash = b.api_key_hash = "";
  ASSERT_TRUE(store().Create(a).ok());
  ASSERT_TRUE(store().Create(b).ok());
  EXPECT_EQ(store().FindByApiKeyHash("").status().code(), Code::kNotFound);
}

TEST_P(AccountStoreTest, UpdateReplacesMutableColumns) {
  Account account = TestAccount(1);
  ASSERT_TRUE(store().Create(account).ok());
  Account changed = account;
  changed.email = "new@example.com";
  changed.password_hash = "$argon2id$new";
  changed.api_key_hash = "rotated";
  changed.api_key_hint = "zzzz";
  changed.callback_url.reset();
  changed.locale = "de-DE";
  changed.is_locked = true;
  changed.email_confirmed = false;
  ASSERT_TRUE(store().Update(changed).ok());

  StatusOr<Account> found = store().FindById(account.id);
  ASSERT_TRUE(found.ok());
  ExpectSameAccount(*found, changed);
  EXPECT_EQ(store().FindByApiKeyHash(account.api_key_hash).status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindByEmail(account.email).status().code(), Code::kNotFound);
  EXPECT_TRUE(store().FindByApiKeyHash("rotated").ok());
}

TEST_P(AccountStoreTest, UpdateUnknownIsNotFound) {
  EXPECT_EQ(store().Update(TestAccount(9)).code(), Code::kNotFound);
}

TEST_P(AccountStoreTest, UpdateToTakenEmailIsConflict) {
  ASSERT_TRUE(store().Create(TestAccount(1)).ok());
  ASSERT_TRUE(store().Create(TestAccount(2)).ok());
  Account changed = TestAccount(2);
  changed.email = TestAccount(1).email;
  Status status = store().Update(changed);
  EXPECT_EQ(status.code(), Code::kConflict);
  EXPECT_EQ(status.path(), "email_address");
  EXPECT_EQ(store().FindById(changed.id)->email, TestAccount(2).email);
}

TEST_P(AccountStoreTest, SearchFindsPartsOfEmailsNewestFirstAndTheOperatorFlagRoundTrips) {
  Account a = TestAccount(1);
  a.email = "alice.smith@example.com";
  a.created_at = 100;
  a.is_admin = true;
  Account b = TestAccount(2);
  b.email = "bob_smith@example.org";
  b.created_at = 200;
  ASSERT_TRUE(store().Create(a).ok());
  ASSERT_TRUE(store().Create(b).ok());
  ExpectSameAccount(*store().FindById(a.id), a);
  auto emails = [&](const std::string& q, int limit = 10) {
    std::vector<std::string> out;
    StatusOr<std::vector<Account>> found = store().Search(q, limit);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    if (found.ok()) {
      for (const Account& account : *found) out.push_back(account.email);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(emails("SMITH"), V({"bob_smith@example.org", "alice.smith@example.com"}));
  EXPECT_EQ(emails("smith", 1), V({"bob_smith@example.org"}));
  EXPECT_EQ(emails("_smith"), V({"bob_smith@example.org"})) << "LIKE wildcards are literal";
  EXPECT_EQ(emails("%"), V()) << "LIKE wildcards are literal";
  b.is_admin = true;
  ASSERT_TRUE(store().Update(b).ok());
  EXPECT_TRUE(store().FindById(b.id)->is_admin);
}

CS_INSTANTIATE_STORE_TESTS(AccountStoreTest);

}  // namespace
}  // namespace countersign::testing_store
