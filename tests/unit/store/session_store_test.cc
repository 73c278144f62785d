// SessionStore contract tests, run against every backend (store_test_fixture.h).
#include "store/session_store.h"

#include <gtest/gtest.h>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class SessionStoreTest : public StoreTest {
 protected:
  SessionStore& store() { return *stores_.sessions; }
};

Session MakeSession(const std::string& id_hash, int64_t expires_at,
                    const std::string& account_id = "account1") {
  return Session{id_hash, account_id, 100, expires_at};
}

TEST_P(SessionStoreTest, CreateThenFind) {
  ASSERT_TRUE(store().Create(MakeSession("s1", 200)).ok());
  ASSERT_TRUE(store().Create(MakeSession("anon", 200, "")).ok());
  StatusOr<Session> found = store().Find("s1", 150);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id_hash, "s1");
  EXPECT_EQ(found->account_id, "account1");
  EXPECT_EQ(found->created_at, 100);
  EXPECT_EQ(found->expires_at, 200);
  StatusOr<Session> anonymous = store().Find("anon", 150);
  ASSERT_TRUE(anonymous.ok());
  EXPECT_EQ(anonymous->account_id, "");
}

TEST_P(SessionStoreTest, ExpiredOrUnknownIsNotFound) {
  ASSERT_TRUE(store().Create(MakeSession("s1", 200)).ok());
  EXPECT_TRUE(store().Find("s1", 199).ok());
  EXPECT_EQ(store().Find("s1", 200).status().code(), Code::kNotFound);  // expires_at > now
  EXPECT_EQ(store().Find("s1", 201).status().code(), Code::kNotFound);
  EXPECT_EQ(store().Find("other", 0).status().code(), Code::kNotFound);
}

TEST_P(SessionStoreTest, DuplicateIdIsConflict) {
  ASSERT_TRUE(store().Create(MakeSession("s1", 200)).ok());
  EXPECT_EQ(store().Create(MakeSession("s1", 300)).code(), Code::kConflict);
}

TEST_P(SessionStoreTest, DeleteIsIdempotent) {
  ASSERT_TRUE(store().Create(MakeSession("s1", 200)).ok());
  ASSERT_TRUE(store().Create(MakeSession("s2", 200)).ok());
  EXPECT_TRUE(store().Delete("s1").ok());
  EXPECT_TRUE(store().Delete("s1").ok());
  EXPECT_TRUE(store().Delete("never").ok());
  EXPECT_EQ(store().Find("s1", 150).status().code(), Code::kNotFound);
  EXPECT_TRUE(store().Find("s2", 150).ok());
}

TEST_P(SessionStoreTest, DeleteExpiredRemovesOnlyExpired) {
  ASSERT_TRUE(store().Create(MakeSession("old", 100)).ok());
  ASSERT_TRUE(store().Create(MakeSession("edge", 150)).ok());
  ASSERT_TRUE(store().Create(MakeSession("live", 151)).ok());
  StatusOr<int> removed = store().DeleteExpired(150);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2);
  EXPECT_TRUE(store().Find("live", 150).ok());
  EXPECT_EQ(*store().DeleteExpired(150), 0);
  // Expired rows are gone even for a reader whose clock is behind.
  EXPECT_EQ(store().Find("edge", 0).status().code(), Code::kNotFound);
}

CS_INSTANTIATE_STORE_TESTS(SessionStoreTest);

}  // namespace
}  // namespace countersign::testing_store
