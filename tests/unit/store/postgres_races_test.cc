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
      const std::string grant = hash + "-g" + std::to_string(i);
      StatusOr<CodeRedemption> r = Instance(i).oauth->RedeemCode(
          hash, 1000 + i, [&](const AuthCode&) -> StatusOr<PendingGrant> {
            return PendingGrant{TestGrant(grant, "a", "c", 1000), TestPair(grant)};
          });
      if (!r.ok()) {
        ++errors;
      } else if (r->first_use) {
        ++first_uses;
      }
    });
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(first_uses.load(), 1) << hash;
    // Every replay saw the one grant and revoked it.
    EXPECT_TRUE(a_.oauth->ListActiveGrants("a")->empty()) << hash;
  }
}

TEST_F(PostgresRaceTest, RefreshTokenRotatesOnceAcrossInstances) {
  for (int g = 0; g < 5; ++g) {
    const std::string grant = "g" + std::to_string(g);
    ASSERT_TRUE(a_.oauth->CreateGrant(TestGrant(grant, "a", "c", 1000), TestPair(grant)).ok());
    std::atomic<int> wins{0}, conflicts{0}, others{0};
    Race(kThreads, [&](int i) {
      // Half of them asynchronously: one statement without BEGIN ... COMMIT.
      const TokenPairHashes next = TestPair(grant + "-next" + std::to_string(i));
      OAuthStore& store = *Instance(i).oauth;
      Status st = (i / 2) % 2 == 0 ? store.RotateRefresh(grant + "-refresh", 2000, next)
                                   : RotateRefreshAndWait(store, grant + "-refresh", 2000, next);
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
  AccountConfirmation link{"link-hash", account.id, "", 100, 10000, 0, {}};
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

// A request with one signer who has signed, sent through instance a_.
void SendSigned(Stores& stores, const std::string& id) {
  SignatureRequest r;
  r.id = id;
  r.account_id = TestAccount(1).id;
  r.requester_email = TestAccount(1).email;
  r.title = "Race " + id;
  r.created_at = 100;
  Signature s;
  s.signature_id = id + "-sig";
  s.name = "Signer";
  s.email = "signer@example.com";
  s.access_hash = "access";
  r.signatures.push_back(s);
  ASSERT_TRUE(stores.signature_requests->Create(r, {}, {}, {100, "sent", "", "", ""}).ok());
  s.signed_at = 150;
  s.signature_kind = "typed";
  EventRecord signed_event = Event(0, r.account_id);
  signed_event.id = id + "-signed";
  signed_event.signature_request_id = id;
  ASSERT_TRUE(
      stores.signature_requests->Sign(id, s, {{150, "signed", "", "", ""}}, signed_event).ok());
}

TEST_F(PostgresRaceTest, AReminderIsSentOnceAcrossInstances) {
  ASSERT_TRUE(a_.accounts->Create(TestAccount(1)).ok());
  SendSigned(a_, "req1");  // signed or not, the reminder rate limit is what is raced here
  std::atomic<int> sent{0}, refused{0};
  Race(kThreads, [&](int i) {
    EventRecord event = Event(100 + i, TestAccount(1).id);
    event.signature_request_id = "req1";
    StatusOr<bool> r = Instance(i).signature_requests->TryRemind(
        "req1-sig", 5000, 3600, "access" + std::to_string(i), Mail(200 + i), event);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    (*r ? sent : refused)++;
  });
  EXPECT_EQ(sent.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
}

TEST_F(PostgresRaceTest, TheFinalPdfIsMadeByOneInstanceAndRecordedOnce) {
  ASSERT_TRUE(a_.accounts->Create(TestAccount(1)).ok());
  for (int n = 0; n < 6; ++n) SendSigned(a_, "req" + std::to_string(n));
  std::mutex mu;
  std::multiset<std::string> claimed;
  Race(kThreads, [&](int i) {
    auto jobs = Instance(i).signature_requests->ClaimJobs(200, 2, 600);
    ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
    std::lock_guard<std::mutex> lock(mu);
    claimed.insert(jobs->begin(), jobs->end());
  });
  EXPECT_EQ(claimed.size(), 6u);
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), 6u);
  std::atomic<int> completed{0}, finals{0};
  Race(kThreads, [&](int i) {
    auto done =
        Instance(i).signature_requests->Complete("req0", 200, {200, "completed", "", "", ""}, {});
    if (done.ok() && *done) ++completed;
    if (Instance(i).signature_requests->SetFinal("req0", FinalState::kReady, "sha", {}, {}).ok()) {
      ++finals;
    }
  });
  EXPECT_EQ(completed.load(), 1);
  EXPECT_EQ(finals.load(), 1);
}

}  // namespace
}  // namespace countersign::testing_store
