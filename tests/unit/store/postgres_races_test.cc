// Once-only rules across two instances on one PostgreSQL database, enforced by the database
// (row locks, conditional UPDATEs, FOR UPDATE SKIP LOCKED), never by locks in the process:
// codes, refresh rotation, mail and event-delivery claims, settings and email confirmation.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "postgres_race_fixture.h"
#include "store/postgres/postgres_connection.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

constexpr int kThreads = 8;

TEST_F(PostgresRaceTest, CodeIsRedeemedOnceAcrossInstances) {
  for (int c = 0; c < 5; ++c) {
    const std::string hash = "code" + std::to_string(c);
    ASSERT_TRUE(a_.oauth->InsertCode(TestCode(hash)).ok());
    std::atomic<int> first_uses{0}, errors{0};
    Race(kThreads, [&](int i) {
      StatusOr<CodeRedemption> r = Instance(i).oauth->RedeemCode(hash, 1000 + i);
      if (!r.ok()) {
        ++errors;
      } else if (r->first_use) {
        ++first_uses;
      }
    });
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(first_uses.load(), 1) << hash;
  }
}

TEST_F(PostgresRaceTest, RefreshTokenRotatesOnceAcrossInstances) {
  for (int g = 0; g < 5; ++g) {
    const std::string grant = "g" + std::to_string(g);
    ASSERT_TRUE(a_.oauth->CreateGrant(TestGrant(grant, "a", "c", 1000), TestPair(grant), "").ok());
    std::atomic<int> wins{0}, conflicts{0}, others{0};
    Race(kThreads, [&](int i) {
      Status st = Instance(i).oauth->RotateRefresh(grant + "-refresh", 2000,
                                                   TestPair(grant + "-next" + std::to_string(i)));
      if (st.ok()) {
        ++wins;
      } else if (st.code() == Code::kConflict) {
        ++conflicts;
      } else {
        ++others;
        ADD_FAILURE() << st.ToString();
      }
    });
    EXPECT_EQ(wins.load(), 1);
    EXPECT_EQ(conflicts.load(), kThreads - 1);
    EXPECT_EQ(others.load(), 0);
    // Exactly one new pair was stored.
    int stored = 0;
    for (int i = 0; i < kThreads; ++i) {
      stored += b_.oauth->FindToken(grant + "-next" + std::to_string(i) + "-refresh").ok();
    }
    EXPECT_EQ(stored, 1);
  }
}

QueuedMail Mail(int n) {
  QueuedMail mail;
  mail.id = "mail" + std::to_string(100 + n);
  mail.message = {"to" + std::to_string(n) + "@example.com", "To", "Subject", "text", "<p>h</p>"};
  mail.next_attempt_at = 100 + n % 7;
  mail.created_at = 90;
  return mail;
}

TEST_F(PostgresRaceTest, EachMailIsClaimedByOneInstance) {
  constexpr int kMails = 60;
  for (int n = 0; n < kMails; ++n) ASSERT_TRUE(a_.mail_queue->Enqueue(Mail(n)).ok());
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::atomic<int> errors{0};
  Race(6, [&](int i) {
    for (int round = 0; round < 50; ++round) {
      auto batch = Instance(i).mail_queue->ClaimDue(200, 4, /*lease_seconds=*/600);
      if (!batch.ok()) {
        ++errors;
        continue;
      }
      if (batch->empty()) break;
      std::lock_guard<std::mutex> lock(mu);
      for (const QueuedMail& mail : *batch) claimed.insert(mail.id);
    }
  });
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kMails));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(),
            static_cast<size_t>(kMails))
      << "a mail was claimed twice";
}

EventRecord Event(int n, const std::string& account_id) {
  EventRecord e;
  e.id = "event" + std::to_string(1000 + n);
  e.event_type = "callback_test";
  e.event_time = 100 + n;
  e.account_id = account_id;
  return e;
}

// Ten accounts with a callback URL each, three events each: thirty deliveries, recorded from both
// instances at once. Six workers claim and deliver; each delivery goes out once, and a URL never
// has two deliveries in flight (its events go out in order).
TEST_F(PostgresRaceTest, EachEventDeliveryIsClaimedByOneInstanceInUrlOrder) {
  constexpr int kAccounts = 10, kEventsEach = 3;
  for (int n = 0; n < kAccounts; ++n) {
    Account account = TestAccount(n);
    account.callback_url = "https://hooks.example.com/" + std::to_string(n);
    ASSERT_TRUE(a_.accounts->Create(account).ok());
  }
  std::atomic<int> errors{0};
  Race(kAccounts * kEventsEach, [&](int i) {
    if (!Instance(i).events->Record(Event(i, TestAccount(i % kAccounts).id), 100).ok()) ++errors;
  });
  ASSERT_EQ(errors.load(), 0);

  std::mutex mu;
  std::map<std::string, std::string> in_flight;  // url -> delivery id
  std::multiset<std::string> claimed;
  std::map<std::string, std::vector<int64_t>> times;  // url -> event_time in delivery order
  int violations = 0;
  Race(6, [&](int i) {
    for (int round = 0; round < 100; ++round) {
      auto batch = Instance(i).events->ClaimDue(200, 3, /*lease_seconds=*/600);
      if (!batch.ok()) {
        ++errors;
        continue;
      }
      if (batch->empty()) {
        {
          std::lock_guard<std::mutex> lock(mu);
          if (claimed.size() == static_cast<size_t>(kAccounts * kEventsEach)) break;
        }
        // Others still hold deliveries whose successors wait for them.
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      for (const EventDelivery& d : *batch) {
        {
          std::lock_guard<std::mutex> lock(mu);
          if (in_flight.count(d.url) != 0) ++violations;
          in_flight[d.url] = d.id;
          claimed.insert(d.id);
          times[d.url].push_back(d.event.event_time);
        }
        std::this_thread::yield();
        {
          std::lock_guard<std::mutex> lock(mu);
          in_flight.erase(d.url);
        }
        if (!Instance(i).events->MarkDelivered(d.id, 200, 200).ok()) ++errors;
      }
    }
  });
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(violations, 0) << "two deliveries to one URL were in flight at once";
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kAccounts * kEventsEach));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size());
  for (const auto& [url, order] : times) EXPECT_EQ(order.size(), 3u) << url;
}

TEST_F(PostgresRaceTest, DeliveriesToOneUrlGetDistinctSequenceNumbers) {
  Account account = TestAccount(1);
  account.callback_url = "https://hooks.example.com/one";
  ASSERT_TRUE(a_.accounts->Create(account).ok());
  std::atomic<int> errors{0};
  Race(16, [&](int i) {
    if (!Instance(i).events->Record(Event(i, account.id), 100).ok()) ++errors;
  });
  EXPECT_EQ(errors.load(), 0);
  auto connection = PostgresConnection::Open(database_->url());
  ASSERT_TRUE(connection.ok());
  auto stmt = (*connection)->Prepare("SELECT COUNT(*), COUNT(DISTINCT seq) FROM event_deliveries");
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->Int(0), 16);
  EXPECT_EQ(stmt->Int(1), 16);
}

TEST_F(PostgresRaceTest, InstancesAgreeOnOneSettingValue) {
  std::mutex mu;
  std::set<std::string> values;
  Race(kThreads, [&](int i) {
    auto value = Instance(i).settings->GetOrCreate("file_url_key", "value" + std::to_string(i));
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    std::lock_guard<std::mutex> lock(mu);
    values.insert(*value);
  });
  EXPECT_EQ(values.size(), 1u);
}

TEST_F(PostgresRaceTest, EmailIsConfirmedOnceAcrossInstances) {
  Account account = TestAccount(1);
  account.email_confirmed = false;
  AccountConfirmation link{"link-hash", account.id, "", 100, 10000, 0};
  ASSERT_TRUE(a_.confirmations->CreateUnconfirmedAccount(account, link, Mail(1), nullptr).ok());
  std::atomic<int> confirmed{0}, conflicts{0};
  Race(kThreads, [&](int i) {
    EventRecord event = Event(i, account.id);
    event.event_type = "account_confirmed";
    Status st = Instance(i).confirmations->Confirm("link-hash", 200, "", event);
    if (st.ok()) {
      ++confirmed;
    } else if (st.code() == Code::kConflict) {
      ++conflicts;
    } else {
      ADD_FAILURE() << st.ToString();
    }
  });
  EXPECT_EQ(confirmed.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
  EXPECT_TRUE(b_.accounts->FindById(account.id)->email_confirmed);
}

}  // namespace
}  // namespace countersign::testing_store
