// DraftStore contract tests, run against every backend (store_test_fixture.h): every field and
// file round-trips, and the conditional updates (Claim, SetPageSecret, MarkSent, ReplaceBody)
// have exactly one winner, also among racing threads; bodies are found by their text.
#include "store/draft_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class DraftStoreTest : public StoreTest {
 protected:
  DraftStore& store() { return *stores_.drafts; }

  static Draft Make(const std::string& id, const std::string& hash) {
    Draft d;
    d.id = id;
    d.signature_request_id = "sr-" + id;
    d.account_id = "acct-1";
    d.client_id = "client-1";
    d.type = "send_document";
    d.embedded = true;
    d.requester_email = "jack@example.com";
    d.from_template = true;
    d.test_mode = true;
    d.body_json = R"({"title":"Hej Världen \"quoted\"","signers":[]})";
    RequestFile a{"a.pdf", std::string(64, 'a'), 1234, 2, {{612, 792}, {595.5, 842}}};
    RequestFile b{"b.pdf", std::string(64, 'b'), 99, 1, {}};
    d.files = {a, b};
    d.signing_redirect_url = "https://example.com/signed";
    d.requesting_redirect_url = "https://example.com/requested";
    d.claim_token_hash = hash;
    d.created_at = 1000;
    d.expires_at = 2000;
    return d;
  }
};

TEST_P(DraftStoreTest, InsertThenGetRoundTripsEveryField) {
  const Draft d = Make("d1", "hash1");
  ASSERT_TRUE(store().Insert(d).ok());
  for (auto got : {store().Get("d1"), store().FindByClaimHash("hash1")}) {
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(got->id, d.id);
    EXPECT_EQ(got->signature_request_id, d.signature_request_id);
    EXPECT_EQ(got->account_id, d.account_id);
    EXPECT_EQ(got->claimed_by, "");
    EXPECT_EQ(got->client_id, d.client_id);
    EXPECT_EQ(got->type, d.type);
    EXPECT_TRUE(got->embedded);
    EXPECT_EQ(got->requester_email, d.requester_email);
    EXPECT_TRUE(got->from_template);
    EXPECT_TRUE(got->test_mode);
    EXPECT_EQ(got->body_json, d.body_json);
    EXPECT_EQ(got->signing_redirect_url, d.signing_redirect_url);
    EXPECT_EQ(got->requesting_redirect_url, d.requesting_redirect_url);
    EXPECT_EQ(got->claim_token_hash, "hash1");
    EXPECT_EQ(got->page_secret_hash, "");
    EXPECT_EQ(got->created_at, 1000);
    EXPECT_EQ(got->expires_at, 2000);
    EXPECT_FALSE(got->sent_at.has_value());
    ASSERT_EQ(got->files.size(), 2u);
    EXPECT_EQ(got->files[0].name, "a.pdf");
    EXPECT_EQ(got->files[0].sha256, std::string(64, 'a'));
    EXPECT_EQ(got->files[0].size, 1234);
    EXPECT_EQ(got->files[0].page_count, 2);
    ASSERT_EQ(got->files[0].page_sizes.size(), 2u);
    EXPECT_DOUBLE_EQ(got->files[0].page_sizes[1].width, 595.5);
    EXPECT_DOUBLE_EQ(got->files[0].page_sizes[1].height, 842);
    EXPECT_EQ(got->files[1].name, "b.pdf");
    EXPECT_TRUE(got->files[1].page_sizes.empty());
  }
}

TEST_P(DraftStoreTest, UnknownIsNotFoundDuplicateIsConflictEmptyHashNeverMatches) {
  EXPECT_EQ(store().Get("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(store().FindByClaimHash("nope").status().code(), Code::kNotFound);
  ASSERT_TRUE(store().Insert(Make("d1", "")).ok());
  EXPECT_EQ(store().Insert(Make("d1", "h")).code(), Code::kConflict);
  EXPECT_EQ(store().FindByClaimHash("").status().code(), Code::kNotFound);
  EXPECT_FALSE(*store().Claim("", "acct-2", 1500));
}

TEST_P(DraftStoreTest, ClaimOnlyOnceAndOnlyBeforeExpiry) {
  ASSERT_TRUE(store().Insert(Make("d1", "h1")).ok());
  ASSERT_TRUE(store().Insert(Make("d2", "h2")).ok());
  EXPECT_FALSE(*store().Claim("h1", "acct-2", 2000));  // expired at 2000
  EXPECT_TRUE(*store().Claim("h1", "acct-2", 1999));
  EXPECT_FALSE(*store().Claim("h1", "acct-3", 1999));
  EXPECT_EQ(store().Get("d1")->claimed_by, "acct-2");
  EXPECT_EQ(store().Get("d2")->claimed_by, "");
  EXPECT_FALSE(*store().Claim("unknown", "acct-2", 1500));
}

TEST_P(DraftStoreTest, PageSecretIsSetOnceAndClaimsForTheCreator) {
  ASSERT_TRUE(store().Insert(Make("d1", "h1")).ok());
  EXPECT_FALSE(*store().SetPageSecret("d1", "s0", 2001));
  EXPECT_TRUE(*store().SetPageSecret("d1", "s1", 1500));
  EXPECT_FALSE(*store().SetPageSecret("d1", "s2", 1500));
  EXPECT_FALSE(*store().Claim("h1", "acct-2", 1500));  // opened: no longer claimable
  auto got = store().Get("d1");
  EXPECT_EQ(got->page_secret_hash, "s1");
  EXPECT_EQ(got->claimed_by, "acct-1");
  EXPECT_FALSE(*store().SetPageSecret("unknown", "s", 1500));
}

TEST_P(DraftStoreTest, BodyChangesUntilSentAndSentOnlyOnce) {
  ASSERT_TRUE(store().Insert(Make("d1", "h1")).ok());
  ASSERT_TRUE(store().UpdateBody("d1", R"({"title":"new"})", false).ok());
  EXPECT_EQ(store().Get("d1")->body_json, R"({"title":"new"})");
  EXPECT_FALSE(store().Get("d1")->test_mode);
  EXPECT_TRUE(*store().MarkSent("d1", 1700));
  EXPECT_FALSE(*store().MarkSent("d1", 1701));
  EXPECT_EQ(store().Get("d1")->sent_at, std::optional<int64_t>(1700));
  EXPECT_EQ(store().UpdateBody("d1", "{}", true).code(), Code::kNotFound);
  EXPECT_FALSE(*store().Claim("h1", "acct-2", 1500));  // sent: no longer claimable
  EXPECT_EQ(store().UpdateBody("unknown", "{}", true).code(), Code::kNotFound);
  EXPECT_FALSE(*store().MarkSent("unknown", 1700));
}

TEST_P(DraftStoreTest, BodiesAreFoundByTheirTextAndReplacedOnlyWhileUnchanged) {
  for (const char* id : {"d1", "d2", "d3", "d4"}) ASSERT_TRUE(store().Insert(Make(id, "")).ok());
  const std::string old_body = Make("d1", "").body_json;
  const std::string with_pin = R"({"signers":[{"name":"J","pin":"1234"}]})";
  const std::string wildcard = R"({"title":"100%_off"})";
  ASSERT_TRUE(store().UpdateBody("d2", with_pin, true).ok());
  ASSERT_TRUE(store().UpdateBody("d4", with_pin, true).ok());
  ASSERT_TRUE(store().UpdateBody("d3", wildcard, true).ok());
  ASSERT_TRUE(*store().MarkSent("d4", 1500));  // sent drafts are found too

  auto found = store().FindBodiesContaining(R"("pin":)", "", 10);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, "d2");
  EXPECT_EQ((*found)[0].body_json, with_pin);
  EXPECT_EQ((*found)[1].id, "d4");
  auto after = store().FindBodiesContaining(R"("pin":)", "d2", 10);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].id, "d4");
  EXPECT_EQ(store().FindBodiesContaining(R"("pin":)", "", 1)->size(), 1u);
  // LIKE's wildcards in the text are plain characters.
  EXPECT_EQ(store().FindBodiesContaining("100%_off", "", 10)->size(), 1u);
  EXPECT_TRUE(store().FindBodiesContaining("100%off", "", 10)->empty());
  EXPECT_TRUE(store().FindBodiesContaining("100_%off", "", 10)->empty());

  EXPECT_FALSE(*store().ReplaceBody("d2", old_body, "{}"));  // not what it holds
  EXPECT_EQ(store().Get("d2")->body_json, with_pin);
  EXPECT_TRUE(*store().ReplaceBody("d2", with_pin, "{}"));
  EXPECT_EQ(store().Get("d2")->body_json, "{}");
  EXPECT_TRUE(*store().ReplaceBody("d4", with_pin, "{}"));  // also once sent
  EXPECT_FALSE(*store().ReplaceBody("nope", with_pin, "{}"));
}

TEST_P(DraftStoreTest, RacingClaimsHaveExactlyOneWinner) {
  ASSERT_TRUE(store().Insert(Make("d1", "h1")).ok());
  std::atomic<int> winners = 0, errors = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto won = store().Claim("h1", "acct-" + std::to_string(10 + t), 1500);
      if (!won.ok()) {
        ++errors;
      } else if (*won) {
        ++winners;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(winners.load(), 1);
  EXPECT_NE(store().Get("d1")->claimed_by, "");
}

CS_INSTANTIATE_STORE_TESTS(DraftStoreTest);

}  // namespace
}  // namespace countersign::testing_store
