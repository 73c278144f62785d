// SignatureRequestStore expiry contract, on every backend (store_test_fixture.h): what may
// expire (FindExpired), that Expire happens once under racing callers with only the winner's
// event and mail written, and that an expired request can no longer be signed, declined or
// completed.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/signature_request_store.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class SignatureRequestExpiryTest : public StoreTest {
 protected:
  SignatureRequestStore& store() { return *stores_.signature_requests; }

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Account requester = TestAccount(1);
    requester.callback_url = "https://hooks.example.com/requester";
    ASSERT_TRUE(stores_.accounts->Create(requester).ok());
    requester_ = requester;
  }

  // A request with two signers, sent at 1000, expiring at `expires_at` (0: never).
  Status Send(const std::string& id, int64_t expires_at) {
    SignatureRequest r;
    r.id = id;
    r.account_id = requester_.id;
    r.requester_email = requester_.email;
    r.title = "NDA " + id;
    r.original_title = r.title;
    r.created_at = 1000;
    r.expires_at = expires_at;
    r.files = {{"a.pdf", std::string(64, 'a'), 1234, 1, {}}};
    for (int i = 0; i < 2; ++i) {
      Signature s;
      s.signature_id = Sig(id, i);
      s.position = i;
      s.name = "Signer " + std::to_string(i);
      s.email = "signer" + std::to_string(i) + "@example.com";
      s.access_hash = "access-" + s.signature_id;
      r.signatures.push_back(s);
    }
    return store().Create(r, {}, {}, {1000, "sent", requester_.email, "", ""});
  }

  static std::string Sig(const std::string& id, int i) { return id + "-sig" + std::to_string(i); }

  Status Sign(const std::string& id, int i, int64_t at) {
    Signature s;
    s.signature_id = Sig(id, i);
    s.access_hash = "access-" + s.signature_id;
    s.signed_at = at;
    s.signature_kind = "typed";
    s.signature_data = "Signer";
    return store().Sign(
        id, s, {{at, "signed", s.signature_id, "", ""}},
        Event(id + "-signed" + std::to_string(i), "signature_request_signed", id, at));
  }

  EventRecord Event(const std::string& event_id, const std::string& type, const std::string& id,
                    int64_t at) {
    EventRecord e;
    e.id = event_id;
    e.event_type = type;
    e.event_time = at;
    e.account_id = requester_.id;
    e.signature_request_id = id;
    return e;
  }

  QueuedMail Mail(const std::string& mail_id, int64_t at) {
    QueuedMail m;
    m.id = mail_id;
    m.message = {requester_.email, "", "Expired", "text", "<p>html</p>"};
    m.next_attempt_at = at;
    m.created_at = at;
    return m;
  }

  StatusOr<bool> Expire(const std::string& id, int64_t now, const std::string& tag = "") {
    return store().Expire(id, now, {now, "expired", requester_.email, "", ""},
                          {Event(id + "-expired" + tag, "signature_request_expired", id, now)},
                          {Mail(id + "-mail" + tag, now)});
  }

  std::vector<std::string> Found(int64_t now) {
    StatusOr<std::vector<std::string>> found = store().FindExpired(now, 10);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    return found.ok() ? *found : std::vector<std::string>{};
  }

  Account requester_;
};

TEST_P(SignatureRequestExpiryTest, ExpiresOnceUnderRacingCallersWithOnlyTheWinnersEventAndMail) {
  ASSERT_TRUE(Send("req1", 2000).ok());
  ASSERT_TRUE(Sign("req1", 0, 1500).ok());
  EXPECT_TRUE(Found(1999).empty()) << "not due before expires_at";
  EXPECT_EQ(Found(2000), std::vector<std::string>{"req1"});

  std::atomic<int> won{0}, lost{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      StatusOr<bool> r = Expire("req1", 2000 + i, std::to_string(i));
      if (!r.ok()) {
        ++errors;
      } else {
        (*r ? won : lost)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 5);

  StatusOr<SignatureRequest> got = store().Get("req1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_GE(got->expired_at, 2000);
  EXPECT_FALSE(got->is_complete);
  EXPECT_FALSE(got->is_declined);
  EXPECT_EQ(got->signatures[0].status_code, "signed");
  EXPECT_EQ(got->signatures[1].status_code, "expired");
  StatusOr<std::vector<AuditEntry>> audit = store().Audit("req1");
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->back().action, "expired");
  EXPECT_EQ(audit->size(), 3u);  // sent, signed, expired

  StatusOr<std::vector<QueuedMail>> mails = stores_.mail_queue->ClaimDue(5000, 20, 60);
  ASSERT_TRUE(mails.ok());
  ASSERT_EQ(mails->size(), 1u) << "one expiry mail";
  EXPECT_EQ((*mails)[0].message.to_email, requester_.email);
  // Deliveries to one URL go out in order: deliver each to see them all.
  int expired_events = 0;
  for (int round = 0; round < 10; ++round) {
    StatusOr<std::vector<EventDelivery>> due = stores_.events->ClaimDue(5000, 20, 60);
    ASSERT_TRUE(due.ok()) << due.status().ToString();
    if (due->empty()) break;
    for (const EventDelivery& d : *due) {
      expired_events += d.event.event_type == "signature_request_expired";
      ASSERT_TRUE(stores_.events->MarkDelivered(d.id, 5000, 200).ok());
    }
  }
  EXPECT_EQ(expired_events, 1);

  EXPECT_TRUE(Found(9000).empty()) << "an expired request is not found again";
  EXPECT_FALSE(*Expire("req1", 9000, "late"));
}

TEST_P(SignatureRequestExpiryTest, AnExpiredRequestCannotBeSignedDeclinedOrCompleted) {
  ASSERT_TRUE(Send("req1", 2000).ok());
  ASSERT_TRUE(Sign("req1", 0, 1500).ok());
  // Past expires_at the store refuses a signature even before the sweep ran.
  EXPECT_EQ(Sign("req1", 1, 2000).code(), Code::kConflict);
  ASSERT_TRUE(*Expire("req1", 2001));
  EXPECT_EQ(Sign("req1", 1, 1999).code(), Code::kConflict) << "and after it, whatever the time";
  Signature decliner;
  decliner.signature_id = Sig("req1", 1);
  decliner.access_hash = "access-" + decliner.signature_id;
  EXPECT_EQ(store()
                .Decline("req1", decliner, "no", {1999, "declined", "x", "", ""},
                         Event("d", "signature_request_declined", "req1", 1999))
                .code(),
            Code::kConflict);
  EXPECT_FALSE(*store().Complete("req1", 2002, {2002, "completed", "", "", ""}, {}));
}

TEST_P(SignatureRequestExpiryTest, OnlyOpenRequestsWithSomeoneStillToSignExpire) {
  ASSERT_TRUE(Send("never", 0).ok());
  ASSERT_TRUE(Send("canceled", 2000).ok());
  ASSERT_TRUE(
      store()
          .Cancel("canceled", 1200, Event("c", "signature_request_canceled", "canceled", 1200))
          .ok());
  ASSERT_TRUE(Send("all-signed", 2000).ok());  // everyone signed: completes, never expires
  ASSERT_TRUE(Sign("all-signed", 0, 1100).ok());
  ASSERT_TRUE(Sign("all-signed", 1, 1200).ok());
  ASSERT_TRUE(Send("due-late", 3000).ok());
  ASSERT_TRUE(Send("due", 2500).ok());
  EXPECT_EQ(Found(4000), (std::vector<std::string>{"due", "due-late"})) << "earliest first";
  for (const char* id : {"never", "canceled", "all-signed"}) {
    StatusOr<bool> r = Expire(id, 4000);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(*r) << id;
  }
  EXPECT_TRUE(*store().Complete("all-signed", 4000, {4000, "completed", "", "", ""}, {}));
  // A later expires_at set by an update moves the request out of the due set again.
  ASSERT_TRUE(store().SetExpiry("due", 5000).ok());
  EXPECT_EQ(Found(4000), std::vector<std::string>{"due-late"});
}

CS_INSTANTIATE_STORE_TESTS(SignatureRequestExpiryTest);

}  // namespace
}  // namespace countersign::testing_store
