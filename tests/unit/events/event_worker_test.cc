// Tests of EventWorker over the real SQLite event outbox (":memory:") with a scripted fake
// CallbackPoster and a FakeClock: success only on 200 + acknowledgement, the retry schedule
// counted from the first try, giving up (delivery failed, owner emailed), disabling a callback
// after failed deliveries in a row until it is saved again, per-URL order, resend, leases.
#include "events/event_worker.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "event_fixture.h"

namespace countersign {
namespace {

constexpr char kUrl[] = "https://receiver.example/cb";

class EventWorkerTest : public EventFixture {
 protected:
  // Steps the clock one second at a time for `seconds`, running what is due at each step.
  void RunFor(int seconds) {
    for (int i = 0; i < seconds; ++i) {
      clock_.Advance(1);
      RunDue();
    }
  }

  // Seconds after kStart of each POST to `url` of an event of `type`.
  std::vector<int64_t> TriesOf(const std::string& url, const std::string& type) {
    std::vector<int64_t> out;
    for (const auto& c : poster_.CallsTo(url)) {
      if (c.payload["event"]["event_type"] == type) out.push_back(c.at - kStart);
    }
    return out;
  }

  // Event types POSTed to `url`, in order.
  std::vector<std::string> TypesTo(const std::string& url) {
    std::vector<std::string> out;
    for (const auto& c : poster_.CallsTo(url)) out.push_back(c.payload["event"]["event_type"]);
    return out;
  }

  EventDelivery Only(CallbackKind kind, const std::string& target) {
    auto all = Deliveries(kind, target);
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? EventDelivery{} : all[0];
  }
};

TEST_F(EventWorkerTest, DeliveredExactlyOnceOn200WithTheAcknowledgement) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  RecordRequestEvent("signature_request_sent", alice.account.id);
  EXPECT_EQ(RunDue(), 1);
  EventDelivery d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_status_code, 200);
  RunFor(200);
  EXPECT_EQ(poster_.calls().size(), 1u);
}

TEST_F(EventWorkerTest, RetriesOnTheScheduleThenGivesUpAndEmailsTheOwner) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::Http(500, "oops"));
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RunDue();
  EventDelivery d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.next_attempt_at, kStart + 10);
  EXPECT_EQ(d.last_status_code, 500);
  EXPECT_EQ(d.last_error, "HTTP 500");
  RunFor(300);
  EXPECT_EQ(TriesOf(kUrl, "signature_request_sent"), (std::vector<int64_t>{0, 10, 30, 70}));
  d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kFailed);
  EXPECT_EQ(d.attempts, 4);
  auto mails = TakeMails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message.to_email, "alice@example.com");
  EXPECT_EQ(mails[0].message.subject, "Event callback failed: signature_request_sent");
  EXPECT_NE(mails[0].message.text_body.find(kUrl), std::string::npos);
  EXPECT_NE(mails[0].message.text_body.find("https://sign.example.com/account/deliveries"),
            std::string::npos);
  EXPECT_FALSE(Disabled(CallbackKind::kAccount, alice.account.id));
}

TEST_F(EventWorkerTest, TwoHundredWithoutTheAcknowledgementIsAFailure) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::Http(200, "OK"));
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RunDue();
  EventDelivery d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_EQ(d.last_status_code, 200);
  EXPECT_NE(d.last_error.find("acknowledgement"), std::string::npos) << d.last_error;
}

TEST_F(EventWorkerTest, ATimedOutTryIsRetried) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::TimedOut());
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RunDue();
  EventDelivery d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_EQ(d.last_status_code, 0);
  EXPECT_EQ(d.last_error, "Timeout was reached");
  poster_.Answer(kUrl, FakePoster::Ok());
  RunFor(10);
  d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(d.attempts, 2);
}

TEST_F(EventWorkerTest, ALaterEventWaitsWhileTheEarlierOneIsRetried) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  NewAccount bob = MakeAccount("bob@example.com", "https://bob.example/cb");
  poster_.Answer(kUrl, FakePoster::Http(503, ""));
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RunDue();
  poster_.Answer(kUrl, FakePoster::Ok());
  RecordRequestEvent("signature_request_canceled", alice.account.id);
  RecordRequestEvent("signature_request_sent", bob.account.id);
  clock_.Advance(5);
  // The canceled event is due but waits for the sent one; another URL is not held up.
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(TypesTo(kUrl), (std::vector<std::string>{"signature_request_sent"}));
  EXPECT_EQ(poster_.CallsTo("https://bob.example/cb").size(), 1u);
  RunFor(5);
  EXPECT_EQ(TypesTo(kUrl),
            (std::vector<std::string>{"signature_request_sent", "signature_request_sent",
                                      "signature_request_canceled"}));
}

TEST_F(EventWorkerTest, TheScheduleOfAWaitingEventCountsFromItsOwnFirstTry) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::Http(500, ""));
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RecordRequestEvent("signature_request_remind", alice.account.id);
  RunDue();
  RunFor(300);
  EXPECT_EQ(TriesOf(kUrl, "signature_request_sent"), (std::vector<int64_t>{0, 10, 30, 70}));
  EXPECT_EQ(TriesOf(kUrl, "signature_request_remind"), (std::vector<int64_t>{70, 80, 100, 140}));
}

TEST_F(EventWorkerTest, ThreeFailedDeliveriesInARowDisableTheCallbackUntilSaved) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::Http(500, ""));
  for (const char* type : {"signature_request_sent", "signature_request_remind",
                           "signature_request_canceled", "signature_request_viewed"}) {
    RecordRequestEvent(type, alice.account.id);
  }
  RunDue();
  RunFor(3 * 70 + 20);
  EXPECT_TRUE(Disabled(CallbackKind::kAccount, alice.account.id));
  EXPECT_EQ(poster_.calls().size(), 12u);  // 3 deliveries x 4 tries; the 4th waits
  RecordRequestEvent("signature_request_signed", alice.account.id);  // not recorded for it
  RunFor(100);
  EXPECT_EQ(poster_.calls().size(), 12u);
  auto all = Deliveries(CallbackKind::kAccount, alice.account.id);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].event.event_type, "signature_request_viewed");
  EXPECT_EQ(all[0].status, DeliveryStatus::kPending);
  EXPECT_EQ(all[0].attempts, 0);
  auto mails = TakeMails();
  ASSERT_EQ(mails.size(), 3u);
  EXPECT_NE(mails[2].message.text_body.find("switched off"), std::string::npos);

  // Saving the callback switches it on: the waiting event goes out, then the test event.
  poster_.Answer(kUrl, FakePoster::Ok());
  ASSERT_TRUE(events_->AccountCallbackSaved(alice.account.id).ok());
  EXPECT_FALSE(Disabled(CallbackKind::kAccount, alice.account.id));
  RunDue();
  std::vector<std::string> types = TypesTo(kUrl);
  ASSERT_EQ(types.size(), 14u);
  EXPECT_EQ(types[12], "signature_request_viewed");
  EXPECT_EQ(types[13], "callback_test");
}

TEST_F(EventWorkerTest, ASuccessEndsTheRunOfFailures) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::Http(500, ""));
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RecordRequestEvent("signature_request_remind", alice.account.id);
  RunDue();
  RunFor(2 * 70 + 5);
  poster_.Answer(kUrl, FakePoster::Ok());
  RecordRequestEvent("signature_request_canceled", alice.account.id);
  RunDue();
  poster_.Answer(kUrl, FakePoster::Http(500, ""));
  clock_.Advance(1);  // runs are ordered by creation time, to the second
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RecordRequestEvent("signature_request_remind", alice.account.id);
  RunDue();
  RunFor(2 * 70 + 5);
  EXPECT_FALSE(Disabled(CallbackKind::kAccount, alice.account.id));
  EXPECT_EQ(TakeMails().size(), 4u);
}

TEST_F(EventWorkerTest, SavingTheCallbackStartsAFreshRun) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  poster_.Answer(kUrl, FakePoster::Http(500, ""));
  for (int i = 0; i < 3; ++i) RecordRequestEvent("signature_request_sent", alice.account.id);
  RunDue();
  RunFor(3 * 70 + 5);
  ASSERT_TRUE(Disabled(CallbackKind::kAccount, alice.account.id));
  // Saved again while the receiver still fails: one failure does not switch it off again.
  ASSERT_TRUE(events_->AccountCallbackSaved(alice.account.id).ok());
  RunDue();
  RunFor(75);
  EXPECT_EQ(Deliveries(CallbackKind::kAccount, alice.account.id)[0].status,
            DeliveryStatus::kFailed);
  EXPECT_FALSE(Disabled(CallbackKind::kAccount, alice.account.id));
}

TEST_F(EventWorkerTest, AppCallbackFailuresEmailTheAppOwner) {
  NewAccount owner = MakeAccount("owner@example.com", "");
  NewAccount user = MakeAccount("user@example.com", "");
  ApiApp app = MakeApp(owner.account.id, kUrl);
  poster_.Answer(kUrl, FakePoster::Http(404, "not here"));
  RecordRequestEvent("signature_request_sent", user.account.id, app.client_id);
  RunDue();
  RunFor(75);
  EXPECT_EQ(Only(CallbackKind::kApp, app.client_id).status, DeliveryStatus::kFailed);
  auto mails = TakeMails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message.to_email, "owner@example.com");
  EXPECT_NE(mails[0].message.text_body.find("/apps/" + app.client_id + "/deliveries"),
            std::string::npos);
}

TEST_F(EventWorkerTest, AFailedDeliveryCanBeResentOnce) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  NewAccount bob = MakeAccount("bob@example.com", "");
  poster_.Answer(kUrl, FakePoster::Http(500, ""));
  RecordRequestEvent("signature_request_sent", alice.account.id);
  RunDue();
  RunFor(75);
  const std::string id = Only(CallbackKind::kAccount, alice.account.id).id;
  EXPECT_EQ(events_->Resend(CallbackKind::kAccount, bob.account.id, id).code(), Code::kNotFound);
  EXPECT_EQ(events_->Resend(CallbackKind::kApp, alice.account.id, id).code(), Code::kNotFound);
  // Still failing: one more try, then failed again (no new schedule).
  ASSERT_TRUE(events_->Resend(CallbackKind::kAccount, alice.account.id, id).ok());
  RunDue();
  EXPECT_EQ(Only(CallbackKind::kAccount, alice.account.id).status, DeliveryStatus::kFailed);
  EXPECT_EQ(poster_.calls().size(), 5u);
  poster_.Answer(kUrl, FakePoster::Ok());
  ASSERT_TRUE(events_->Resend(CallbackKind::kAccount, alice.account.id, id).ok());
  RunDue();
  EventDelivery d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(d.attempts, 6);
  EXPECT_EQ(events_->Resend(CallbackKind::kAccount, alice.account.id, id).code(), Code::kNotFound);
}

TEST_F(EventWorkerTest, AClaimedDeliveryIsNotClaimedAgainUntilItsLeaseEnds) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  RecordRequestEvent("signature_request_sent", alice.account.id);
  auto first = stores_.events->ClaimDue(kStart, 10, 90);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(worker_->RunOnce(), 0);  // held by the first claim
  clock_.Advance(90);
  EXPECT_EQ(worker_->RunOnce(), 1);  // the lease ran out: tried again
  // The first claimant's late outcome does not overwrite the recorded one.
  EXPECT_EQ(stores_.events->MarkRetry((*first)[0].id, kStart + 100, 500, "late").code(),
            Code::kConflict);
  EXPECT_EQ(Only(CallbackKind::kAccount, alice.account.id).status, DeliveryStatus::kDelivered);
}

// A stored value that is not valid UTF-8 (saved before the edge refused it, or by an older
// version) used to make the payload serialiser throw and end the process on every start.
TEST_F(EventWorkerTest, InvalidUtf8InStoredDataIsReplacedNotFatal) {
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  Account stored = *stores_.accounts->FindById(alice.account.id);
  stored.callback_url = std::string(kUrl) + "/\xFF\xFE";
  ASSERT_TRUE(stores_.accounts->Update(stored).ok());
  ASSERT_TRUE(events_->AccountCallbackSaved(alice.account.id).ok());
  ASSERT_EQ(RunDue(), 1);
  auto calls = poster_.CallsTo(*stored.callback_url);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].payload["account"]["callback_url"], std::string(kUrl) + "/\uFFFD\uFFFD");
  EXPECT_EQ(Only(CallbackKind::kAccount, alice.account.id).status, DeliveryStatus::kDelivered);
}

// A poster that throws stands for any unexpected exception while delivering one item.
class ThrowingPoster : public CallbackPoster {
 public:
  CallbackResult Post(const std::string&, const std::string&, const CallbackOptions&) override {
    ++calls;
    throw std::runtime_error("boom");
  }
  int calls = 0;
};

TEST_F(EventWorkerTest, AnExceptionFailsThatTryAndIsRetriedOnTheSchedule) {
  ThrowingPoster throwing;
  EventWorker worker(*stores_.events, *stores_.signature_requests, *stores_.accounts,
                     *stores_.mail_queue, throwing, *box_, clock_, public_url_, options_);
  NewAccount alice = MakeAccount("alice@example.com", kUrl);
  RecordRequestEvent("signature_request_sent", alice.account.id);
  EXPECT_EQ(worker.RunOnce(), 1);  // no exception escapes
  EventDelivery d = Only(CallbackKind::kAccount, alice.account.id);
  EXPECT_EQ(d.status, DeliveryStatus::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_NE(d.last_error.find("boom"), std::string::npos);
  EXPECT_EQ(d.next_attempt_at, kStart + 10);  // the first retry offset
  clock_.Advance(10);
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(throwing.calls, 2);
}

}  // namespace
}  // namespace countersign
