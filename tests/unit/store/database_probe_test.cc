// The SQL DatabaseProbe over SQLite in memory: ping, migrations, pool counters and the durable
// queue depths. (The PostgreSQL side runs in tests/node/ops_health_metrics.test.mjs.)
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_stores.h"

namespace countersign {
namespace {

constexpr int64_t kNow = 1700000000;

TEST(DatabaseProbeTest, AnswersAndTheSchemaIsCurrent) {
  auto stores = OpenSqliteStores(":memory:", 2);
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  ASSERT_NE(stores->probe, nullptr);
  EXPECT_TRUE(stores->probe->Ping().ok());
  EXPECT_TRUE(stores->probe->CheckMigrations().ok());
  DatabasePoolStats pool = stores->probe->Pool();
  EXPECT_EQ(pool.size, 2);
  EXPECT_EQ(pool.in_use, 0);
  EXPECT_GT(pool.acquired_total, 0u);  // the two calls above
  EXPECT_EQ(pool.waits_total, 0u);
}

TEST(DatabaseProbeTest, QueuesCountPendingMailWithTheOldestAge) {
  auto stores = OpenSqliteStores(":memory:", 1);
  ASSERT_TRUE(stores.ok());
  for (int i = 0; i < 3; ++i) {
    QueuedMail mail;
    mail.id = "m" + std::to_string(i);
    mail.message.to_email = "a@example.com";
    mail.created_at = kNow - 100 + i;
    mail.next_attempt_at = kNow;
    ASSERT_TRUE(stores->mail_queue->Enqueue(mail).ok());
  }
  ASSERT_TRUE(stores->mail_queue->MarkSent("m0", kNow).ok());
  auto queues = stores->probe->Queues(kNow);
  ASSERT_TRUE(queues.ok()) << queues.status().ToString();
  ASSERT_EQ(queues->size(), 3u);
  EXPECT_EQ((*queues)[0].name, "mail");
  EXPECT_EQ((*queues)[0].depth, 2);
  EXPECT_EQ((*queues)[0].oldest_age, 99);
  EXPECT_EQ((*queues)[1].name, "events");
  EXPECT_EQ((*queues)[1].depth, 0);
  EXPECT_EQ((*queues)[1].oldest_age, 0);
  EXPECT_EQ((*queues)[2].name, "advance");
}

}  // namespace
}  // namespace countersign
