// MailQueueStore contract tests, run against every backend (store_test_fixture.h), plus
// SQLite-specific checks of the stored columns and of claiming from two separate handles.
#include "store/mail_queue_store.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_stores.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

QueuedMail TestMail(int n, int64_t due_at) {
  std::string s = std::to_string(n);
  QueuedMail mail;
  mail.id = std::string(32 - s.size(), '0') + s;  // 32 characters, like real ids
  mail.message.to_email = "signer" + s + "@example.com";
  mail.message.to_name = "Signer " + s;
  mail.message.subject = "Please sign " + s;
  mail.message.text_body = "text " + s;
  mail.message.html_body = "<p>html " + s + "</p>";
  mail.next_attempt_at = due_at;
  mail.created_at = due_at - 5;
  return mail;
}

std::vector<std::string> Ids(const std::vector<QueuedMail>& mails) {
  std::vector<std::string> ids;
  for (const QueuedMail& mail : mails) ids.push_back(mail.id);
  return ids;
}

class MailQueueStoreTest : public StoreTest {
 protected:
  MailQueueStore& store() { return *stores_.mail_queue; }

  std::vector<QueuedMail> Claim(int64_t now, int limit = 20, int64_t lease = 60) {
    StatusOr<std::vector<QueuedMail>> claimed = store().ClaimDue(now, limit, lease);
    EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
    return claimed.ok() ? *claimed : std::vector<QueuedMail>();
  }
};

TEST_P(MailQueueStoreTest, EnqueueThenClaimReturnsEveryField) {
  QueuedMail mail = TestMail(1, 100);
  mail.message.to_name = "Zoë Ünicode";
  mail.message.text_body = "line 1\nline 2\r\n";
  ASSERT_TRUE(store().Enqueue(mail).ok());
  EXPECT_TRUE(Claim(99).empty());  // not due yet
  std::vector<QueuedMail> claimed = Claim(100);
  ASSERT_EQ(claimed.size(), 1u);
  const QueuedMail& got = claimed[0];
  EXPECT_EQ(got.id, mail.id);
  EXPECT_EQ(got.message.to_email, mail.message.to_email);
  EXPECT_EQ(got.message.to_name, "Zoë Ünicode");
  EXPECT_EQ(got.message.subject, mail.message.subject);
  EXPECT_EQ(got.message.text_body, "line 1\nline 2\r\n");
  EXPECT_EQ(got.message.html_body, mail.message.html_body);
  EXPECT_EQ(got.attempts, 0);
  EXPECT_EQ(got.next_attempt_at, 100);
  EXPECT_EQ(got.created_at, 95);
}

TEST_P(MailQueueStoreTest, DuplicateIdIsConflict) {
  ASSERT_TRUE(store().Enqueue(TestMail(1, 100)).ok());
  EXPECT_EQ(store().Enqueue(TestMail(1, 200)).code(), Code::kConflict);
}

TEST_P(MailQueueStoreTest, ClaimsOldestDueFirstUpToLimit) {
  ASSERT_TRUE(store().Enqueue(TestMail(1, 30)).ok());
  ASSERT_TRUE(store().Enqueue(TestMail(2, 10)).ok());
  ASSERT_TRUE(store().Enqueue(TestMail(3, 20)).ok());
  ASSERT_TRUE(store().Enqueue(TestMail(4, 500)).ok());  // not due
  std::vector<QueuedMail> first = Claim(100, 2);
  EXPECT_EQ(Ids(first), (std::vector<std::string>{TestMail(2, 0).id, TestMail(3, 0).id}));
  std::vector<QueuedMail> second = Claim(100, 2);
  EXPECT_EQ(Ids(second), std::vector<std::string>{TestMail(1, 0).id});
  EXPECT_TRUE(Claim(100, 2).empty());
  EXPECT_TRUE(Claim(100, 0).empty());
}

TEST_P(MailQueueStoreTest, LeaseHidesMailUntilItExpires) {
  ASSERT_TRUE(store().Enqueue(TestMail(1, 100)).ok());
  ASSERT_EQ(Claim(100, 20, 60).size(), 1u);  // leased until 160
  EXPECT_TRUE(Claim(101).empty());
  EXPECT_TRUE(Claim(159).empty());
  std::vector<QueuedMail> again = Claim(160, 20, 60);  // lease expired: another worker takes it
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 0);
  EXPECT_TRUE(Claim(219).empty());
}

TEST_P(MailQueueStoreTest, RetryCountsAttemptAndDelays) {
  ASSERT_TRUE(store().Enqueue(TestMail(1, 100)).ok());
  ASSERT_EQ(Claim(100).size(), 1u);
  ASSERT_TRUE(store().MarkRetry(TestMail(1, 0).id, 130, "451 try later").ok());
  EXPECT_TRUE(Claim(129).empty());
  std::vector<QueuedMail> retried = Claim(130);  // the lease was released by MarkRetry
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].attempts, 1);
  EXPECT_EQ(retried[0].next_attempt_at, 130);
  ASSERT_TRUE(store().MarkRetry(TestMail(1, 0).id, 190, "again").ok());
  retried = Claim(190);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].attempts, 2);
}

TEST_P(MailQueueStoreTest, SentAndFailedMailIsNeverClaimedAgain) {
  ASSERT_TRUE(store().Enqueue(TestMail(1, 100)).ok());
  ASSERT_TRUE(store().Enqueue(TestMail(2, 100)).ok());
  ASSERT_EQ(Claim(100).size(), 2u);
  ASSERT_TRUE(store().MarkSent(TestMail(1, 0).id, 101).ok());
  ASSERT_TRUE(store().MarkFailed(TestMail(2, 0).id, 101, "550 no such user").ok());
  EXPECT_TRUE(Claim(100000).empty());
  // Finished mail cannot change state again.
  EXPECT_EQ(store().MarkSent(TestMail(1, 0).id, 102).code(), Code::kConflict);
  EXPECT_EQ(store().MarkRetry(TestMail(2, 0).id, 500, "x").code(), Code::kConflict);
  EXPECT_EQ(store().MarkFailed(TestMail(1, 0).id, 102, "x").code(), Code::kConflict);
}

TEST_P(MailQueueStoreTest, MarkAllSentRecordsThePendingMailAndSkipsTheRest) {
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(store().Enqueue(TestMail(i, 100)).ok());
  ASSERT_EQ(Claim(100).size(), 4u);
  ASSERT_TRUE(store().MarkFailed(TestMail(3, 0).id, 101, "550 no such user").ok());
  StatusOr<int> marked =
      store().MarkAllSent({TestMail(1, 0).id, TestMail(2, 0).id, TestMail(3, 0).id, "nope"}, 102);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(*marked, 2);  // the failed mail and the unknown id are skipped
  EXPECT_EQ(store().MarkSent(TestMail(1, 0).id, 103).code(), Code::kConflict);
  EXPECT_EQ(store().MarkSent(TestMail(2, 0).id, 103).code(), Code::kConflict);
  EXPECT_EQ(store().MarkRetry(TestMail(3, 0).id, 500, "x").code(), Code::kConflict);
  // The mail left out is still pending: claimable once its lease ends, then sendable.
  std::vector<QueuedMail> again = Claim(100000);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, TestMail(4, 0).id);
  EXPECT_EQ(*store().MarkAllSent({}, 104), 0);
}

TEST_P(MailQueueStoreTest, UnknownIdIsNotFound) {
  EXPECT_EQ(store().MarkSent("nope", 1).code(), Code::kNotFound);
  EXPECT_EQ(store().MarkRetry("nope", 1, "e").code(), Code::kNotFound);
  EXPECT_EQ(store().MarkFailed("nope", 1, "e").code(), Code::kNotFound);
}

TEST_P(MailQueueStoreTest, ConcurrentClaimsNeverShareAMail) {
  constexpr int kMails = 120;
  for (int i = 0; i < kMails; ++i) ASSERT_TRUE(store().Enqueue(TestMail(i, 100 + i % 7)).ok());
  std::mutex mu;
  std::vector<std::string> all;
  auto worker = [&] {
    while (true) {
      StatusOr<std::vector<QueuedMail>> claimed = store().ClaimDue(200, 3, 600);
      ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
      if (claimed->empty()) return;
      std::lock_guard<std::mutex> lock(mu);
      for (const QueuedMail& mail : *claimed) all.push_back(mail.id);
    }
  };
  std::thread a(worker);
  std::thread b(worker);
  a.join();
  b.join();
  std::set<std::string> unique(all.begin(), all.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kMails));
  EXPECT_EQ(unique.size(), static_cast<size_t>(kMails));
}

CS_INSTANTIATE_STORE_TESTS(MailQueueStoreTest);

// Two independently opened handles on one file stand in for two server processes.
TEST(SqliteMailQueueTest, TwoHandlesOnOneFileNeverShareAMail) {
  ScratchDir dir;
  std::string path = dir.path() + "/cs.db";
  StatusOr<Stores> first = OpenSqliteStores(path, 2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  StatusOr<Stores> second = OpenSqliteStores(path, 2);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  constexpr int kMails = 80;
  for (int i = 0; i < kMails; ++i) ASSERT_TRUE(first->mail_queue->Enqueue(TestMail(i, 1)).ok());
  std::vector<std::string> ids[2];
  auto worker = [&](MailQueueStore* store, std::vector<std::string>* out) {
    while (true) {
      StatusOr<std::vector<QueuedMail>> claimed = store->ClaimDue(10, 2, 600);
      ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
      if (claimed->empty()) return;
      for (const QueuedMail& mail : *claimed) out->push_back(mail.id);
    }
  };
  std::thread a(worker, first->mail_queue.get(), &ids[0]);
  std::thread b(worker, second->mail_queue.get(), &ids[1]);
  a.join();
  b.join();
  std::set<std::string> unique(ids[0].begin(), ids[0].end());
  unique.insert(ids[1].begin(), ids[1].end());
  EXPECT_EQ(ids[0].size() + ids[1].size(), static_cast<size_t>(kMails));
  EXPECT_EQ(unique.size(), static_cast<size_t>(kMails));
}

TEST(SqliteMailQueueTest, StoresOutcomeColumns) {
  ScratchDir dir;
  std::string path = dir.path() + "/cs.db";
  StatusOr<Stores> stores = OpenSqliteStores(path, 2);
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  MailQueueStore& queue = *stores->mail_queue;
  ASSERT_TRUE(queue.Enqueue(TestMail(1, 100)).ok());
  ASSERT_TRUE(queue.Enqueue(TestMail(2, 100)).ok());
  ASSERT_EQ(queue.ClaimDue(100, 5, 60)->size(), 2u);
  ASSERT_TRUE(queue.MarkRetry(TestMail(1, 0).id, 130, "451 later").ok());
  ASSERT_TRUE(queue.ClaimDue(130, 5, 60).ok());
  ASSERT_TRUE(queue.MarkSent(TestMail(1, 0).id, 131).ok());
  ASSERT_TRUE(queue.MarkFailed(TestMail(2, 0).id, 132, "550 unknown").ok());

  StatusOr<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(path);
  ASSERT_TRUE(connection.ok());
  StatusOr<SqlStatement> stmt =
      (*connection)
          ->Prepare(
              "SELECT status, attempts, leased_until, sent_at, last_error, next_attempt_at "
              "FROM mail_queue ORDER BY id");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Int(0), 1);  // sent
  EXPECT_EQ(stmt->Int(1), 2);  // one retry, then the successful attempt
  EXPECT_EQ(stmt->Int(2), 0);
  EXPECT_EQ(stmt->Int(3), 131);
  EXPECT_EQ(stmt->Text(4), "");
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Int(0), 2);  // failed
  EXPECT_EQ(stmt->Int(1), 1);
  EXPECT_EQ(stmt->Int(2), 0);
  EXPECT_EQ(stmt->Int(3), 0);
  EXPECT_EQ(stmt->Text(4), "550 unknown");
  EXPECT_EQ(stmt->Int(5), 132);
}

}  // namespace
}  // namespace countersign::testing_store
