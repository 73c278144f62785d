// Tests of ExactReadCache (as for a Bearer token's row): a read is served again only while the
// commit stamp is the one taken before it, never past its age bound, never when the stamp cannot be
// told, and never for errors.
#include "service/exact_read_cache.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>

#include "store/oauth_store.h"

namespace countersign {
namespace {

// A CommitWatch whose stamp a test sets; nullopt when `unknown`.
class FakeWatch final : public CommitWatch {
 public:
  std::optional<CommitStamp> Current() const override {
    std::lock_guard<std::mutex> lock(mu_);
    if (unknown_) return std::nullopt;
    return stamp_;
  }
  void Commit() {
    std::lock_guard<std::mutex> lock(mu_);
    ++stamp_.words[2];
  }
  void SetUnknown(bool unknown) {
    std::lock_guard<std::mutex> lock(mu_);
    unknown_ = unknown;
  }

 private:
  mutable std::mutex mu_;
  CommitStamp stamp_;
  bool unknown_ = false;
};

class ExactReadCacheTest : public ::testing::Test {
 protected:
  // Find through a read that counts its calls and answers the row named `name` (or `error`).
  StatusOr<TokenWithAccount> Find(const std::string& key) {
    return cache_.Find(key, [&]() -> StatusOr<TokenWithAccount> {
      ++reads_;
      if (!error_.ok()) return error_;
      TokenWithAccount row;
      row.token.token_hash = key;
      row.account = Account{};
      row.account->email = name_;
      return row;
    });
  }

  FakeWatch watch_;
  FakeClock clock_;
  ExactReadCache<TokenWithAccount> cache_{watch_, clock_, {64, 30}};
  int reads_ = 0;
  std::string name_ = "first";
  Status error_;
};

TEST_F(ExactReadCacheTest, ASecondFindWithoutACommitDoesNotRead) {
  ASSERT_TRUE(Find("k").ok());
  StatusOr<TokenWithAccount> again = Find("k");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(reads_, 1);
  EXPECT_EQ(again->token.token_hash, "k");
  EXPECT_EQ(again->account->email, "first");
  EXPECT_EQ(cache_.stats().hits, 1u);
  EXPECT_EQ(cache_.stats().reads, 1u);
}

TEST_F(ExactReadCacheTest, AnyCommitMakesTheNextFindRead) {
  ASSERT_TRUE(Find("k").ok());
  watch_.Commit();
  name_ = "changed";
  StatusOr<TokenWithAccount> after = Find("k");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(reads_, 2);
  EXPECT_EQ(after->account->email, "changed");
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 2);  // cached again, under the new stamp
}

TEST_F(ExactReadCacheTest, ACommitDuringTheReadIsNotTrusted) {
  // The stamp is taken before the read; a commit while it runs leaves its entry unusable.
  StatusOr<TokenWithAccount> first = cache_.Find("k", [&]() -> StatusOr<TokenWithAccount> {
    ++reads_;
    watch_.Commit();
    return TokenWithAccount{};
  });
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 2);
}

TEST_F(ExactReadCacheTest, WithoutAStampEveryFindReadsAndNothingIsKept) {
  watch_.SetUnknown(true);
  ASSERT_TRUE(Find("k").ok());
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 2);
  watch_.SetUnknown(false);
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 3);
}

TEST_F(ExactReadCacheTest, ErrorsAreNotKept) {
  error_ = NotFound("no such token");
  EXPECT_EQ(Find("k").status().code(), Code::kNotFound);
  EXPECT_EQ(Find("k").status().code(), Code::kNotFound);
  EXPECT_EQ(reads_, 2);
}

TEST_F(ExactReadCacheTest, AnEntryIsTrustedForAtMostItsMaxAge) {
  ASSERT_TRUE(Find("k").ok());
  clock_.Advance(29);
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 1);
  clock_.Advance(1);
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 2);
}

TEST_F(ExactReadCacheTest, AClockThatWentBackMakesItRead) {
  ASSERT_TRUE(Find("k").ok());
  clock_.Advance(-5);
  ASSERT_TRUE(Find("k").ok());
  EXPECT_EQ(reads_, 2);
}

TEST_F(ExactReadCacheTest, KeysAreKeptApart) {
  ASSERT_TRUE(Find("a").ok());
  StatusOr<TokenWithAccount> b = Find("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->token.token_hash, "b");
  EXPECT_EQ(reads_, 2);
}

TEST_F(ExactReadCacheTest, ItHoldsAboutItsCapacity) {
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(Find("key-" + std::to_string(i)).ok());
  EXPECT_LE(cache_.stats().entries, 64u);
  EXPECT_GT(cache_.stats().entries, 0u);
}

}  // namespace
}  // namespace countersign
