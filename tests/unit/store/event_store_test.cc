// EventStore contract tests, run against every backend (store_test_fixture.h): deliveries are
// resolved when an event is recorded, go out one at a time per URL in order, and every outcome
// (delivered, retry, failed, resend, disabled callbacks) is recorded once.
#include "store/event_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class EventStoreTest : public StoreTest {
 protected:
  EventStore& store() { return *stores_.events; }

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (int n = 1; n <= 2; ++n) {
      Account account = TestAccount(n);
      account.callback_url = "https://hooks.example.com/account" + std::to_string(n);
      ASSERT_TRUE(stores_.accounts->Create(account).ok());
    }
  }

  EventRecord Event(int n, int account = 1) {
    EventRecord e;
    e.id = "event" + std::to_string(n);
    e.event_type = "signature_request_sent";
    e.event_time = 100 + n;
    e.account_id = TestAccount(account).id;
    return e;
  }

  std::vector<std::string> Claim(int64_t now, int limit = 10) {
    StatusOr<std::vector<EventDelivery>> due = store().ClaimDue(now, limit, 60);
    EXPECT_TRUE(due.ok()) << due.status().ToString();
    std::vector<std::string> events;
    if (!due.ok()) return events;
    for (const EventDelivery& d : *due) {
      events.push_back(d.event.id);
      last_[d.event.id] = d.id;
    }
    return events;
  }

  std::map<std::string, std::string> last_;  // event id -> delivery id, from the last claims
};

TEST_P(EventStoreTest, RecordResolvesTheAccountCallbackAndKeepsEveryField) {
  EventRecord e = Event(1);
  e.event_message = "hello";
  e.template_id = "tpl1";
  ASSERT_TRUE(store().Record(e, 500).ok());
  StatusOr<std::vector<EventDelivery>> due = store().ClaimDue(500, 10, 60);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 1u);
  const EventDelivery& d = (*due)[0];
  EXPECT_EQ(d.kind, CallbackKind::kAccount);
  EXPECT_EQ(d.target_id, TestAccount(1).id);
  EXPECT_EQ(d.key_account_id, TestAccount(1).id);
  EXPECT_EQ(d.url, "https://hooks.example.com/account1");
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_EQ(d.created_at, 500);
  EXPECT_EQ(d.event.event_type, "signature_request_sent");
  EXPECT_EQ(d.event.event_time, 101);
  EXPECT_EQ(d.event.event_message, "hello");
  EXPECT_EQ(d.event.template_id, "tpl1");
  EXPECT_TRUE(Claim(500).empty()) << "leased";
  EXPECT_EQ(Claim(561), std::vector<std::string>{"event1"}) << "lease over";
}

TEST_P(EventStoreTest, OneUrlHearsItsEventsOneAtATimeInOrder) {
  // Recorded a second apart: the deliveries' created_at orders them as well as their seq.
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(store().Record(Event(n), 500 + n).ok());
  ASSERT_TRUE(store().Record(Event(9, 2), 509).ok());
  EXPECT_EQ(Claim(509), (std::vector<std::string>{"event1", "event9"}));
  EXPECT_TRUE(Claim(509).empty());
  ASSERT_TRUE(store().MarkDelivered(last_["event9"], 509, 200).ok());  // the other URL is done
  ASSERT_TRUE(store().MarkDelivered(last_["event1"], 510, 200).ok());
  EXPECT_EQ(store().MarkDelivered(last_["event1"], 510, 200).code(), Code::kConflict);
  EXPECT_EQ(Claim(510), std::vector<std::string>{"event2"});
  ASSERT_TRUE(store().MarkRetry(last_["event2"], 600, 500, "HTTP 500").ok());
  EXPECT_TRUE(Claim(599).empty()) << "the retry is not due yet and event3 waits behind it";
  EXPECT_EQ(Claim(600), std::vector<std::string>{"event2"});
  ASSERT_TRUE(store().MarkFailed(last_["event2"], 610, 500, "HTTP 500").ok());
  EXPECT_EQ(Claim(610), std::vector<std::string>{"event3"});
  EXPECT_EQ(*store().FailuresSinceLastSuccess(CallbackKind::kAccount, TestAccount(1).id), 1);

  StatusOr<std::vector<EventDelivery>> recent =
      store().Recent(CallbackKind::kAccount, TestAccount(1).id, 10);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].event.id, "event3");
  EXPECT_EQ((*recent)[1].status, DeliveryStatus::kFailed);
  EXPECT_EQ((*recent)[1].attempts, 2);
  EXPECT_EQ((*recent)[1].last_error, "HTTP 500");
  EXPECT_EQ((*recent)[2].status, DeliveryStatus::kDelivered);
  EXPECT_EQ((*recent)[2].delivered_at, 510);

  // A failed delivery can be sent again; it goes out after what is already queued.
  ASSERT_TRUE(store().MarkDelivered(last_["event3"], 620, 200).ok());
  ASSERT_TRUE(store().Resend(CallbackKind::kAccount, TestAccount(1).id, last_["event2"], 700).ok());
  EXPECT_EQ(store().Resend(CallbackKind::kAccount, TestAccount(2).id, last_["event2"], 700).code(),
            Code::kNotFound);
  EXPECT_EQ(Claim(700), std::vector<std::string>{"event2"});
}

TEST_P(EventStoreTest, ADisabledCallbackGetsNoNewDeliveries) {
  ASSERT_TRUE(
      store().SetCallbackDisabled(CallbackKind::kAccount, TestAccount(1).id, true, 400).ok());
  ASSERT_TRUE(
      store().SetCallbackDisabled(CallbackKind::kAccount, TestAccount(1).id, true, 401).ok());
  EXPECT_TRUE(*store().IsCallbackDisabled(CallbackKind::kAccount, TestAccount(1).id));
  EXPECT_FALSE(*store().IsCallbackDisabled(CallbackKind::kAccount, TestAccount(2).id));
  ASSERT_TRUE(store().Record(Event(1), 500).ok());
  EXPECT_TRUE(Claim(500).empty());
  ASSERT_TRUE(
      store().SetCallbackDisabled(CallbackKind::kAccount, TestAccount(1).id, false, 600).ok());
  EXPECT_FALSE(*store().IsCallbackDisabled(CallbackKind::kAccount, TestAccount(1).id));
  ASSERT_TRUE(store().Record(Event(2), 600).ok());
  EXPECT_EQ(Claim(600), std::vector<std::string>{"event2"});
}

TEST_P(EventStoreTest, TheFailureAtTheLimitSwitchesTheCallbackOffInTheSameStep) {
  for (int n = 1; n <= 3; ++n) ASSERT_TRUE(store().Record(Event(n), 500 + n).ok());
  EXPECT_EQ(Claim(503), std::vector<std::string>{"event1"});
  StatusOr<bool> disabled = store().MarkFailed(last_["event1"], 504, 500, "HTTP 500", 2);
  ASSERT_TRUE(disabled.ok());
  EXPECT_FALSE(*disabled);  // one failure in a row
  EXPECT_EQ(Claim(504), std::vector<std::string>{"event2"});
  disabled = store().MarkFailed(last_["event2"], 505, 500, "HTTP 500", 2);
  ASSERT_TRUE(disabled.ok());
  EXPECT_TRUE(*disabled);  // the second: switched off with it, so event3 is never claimed
  EXPECT_TRUE(*store().IsCallbackDisabled(CallbackKind::kAccount, TestAccount(1).id));
  EXPECT_TRUE(Claim(506).empty());
  EXPECT_EQ(store().MarkFailed(last_["event2"], 506, 500, "again", 2).status().code(),
            Code::kConflict);
}

TEST_P(EventStoreTest, RacingWorkersClaimEachDeliveryOnce) {
  for (int n = 1; n <= 20; ++n) ASSERT_TRUE(store().Record(Event(n, 1 + n % 2), 500).ok());
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 40; ++round) {
        auto due = store().ClaimDue(500, 2, 60);
        if (!due.ok() || due->empty()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          continue;
        }
        for (const EventDelivery& d : *due) {
          {
            std::lock_guard<std::mutex> lock(mu);
            claimed.insert(d.id);
          }
          (void)store().MarkDelivered(d.id, 500, 200);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), 20u);
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size());
}

CS_INSTANTIATE_STORE_TESTS(EventStoreTest);

}  // namespace
}  // namespace countersign::testing_store
