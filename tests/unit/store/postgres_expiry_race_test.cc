// Expiry happens once across instances (issue 17): two separately opened Stores on one
// PostgreSQL database, each running the expiry sweep (service/request_expiry.h) on several
// threads at once over the same due requests. Every request is expired by exactly one caller,
// with exactly one signature_request_expired event and one mail to its sender.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "core/clock.h"
#include "postgres_race_fixture.h"
#include "service/request_expiry.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

TEST_F(PostgresRaceTest, EachRequestExpiresOnceAcrossInstances) {
  constexpr int kRequests = 12;
  Account sender = TestAccount(1);
  sender.callback_url = "https://hooks.example.com/sender";
  ASSERT_TRUE(a_.accounts->Create(sender).ok());
  for (int n = 0; n < kRequests; ++n) {
    SignatureRequest r;
    r.id = "req" + std::to_string(n);
    r.account_id = sender.id;
    r.requester_email = sender.email;
    r.title = "NDA " + std::to_string(n);
    r.created_at = 1000;
    r.expires_at = 2000 + n;
    Signature s;
    s.signature_id = r.id + "-sig";
    s.email = "signer@example.com";
    s.access_hash = "access";
    r.signatures.push_back(s);
    ASSERT_TRUE(
        a_.signature_requests->Create(r, {}, {}, {1000, "sent", sender.email, "", ""}).ok());
  }
  FakeClock clock(5000);
  RequestExpiry sweep_a(*a_.signature_requests, clock);
  RequestExpiry sweep_b(*b_.signature_requests, clock);
  std::atomic<int> expired{0}, errors{0};
  Race(8, [&](int i) {
    RequestExpiry& sweep = i % 2 == 0 ? sweep_a : sweep_b;
    for (int round = 0; round < 4; ++round) {
      StatusOr<int> n = sweep.ExpireDue(/*limit=*/5);
      if (!n.ok()) {
        ++errors;
        continue;
      }
      expired += *n;
    }
  });
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(expired.load(), kRequests) << "each request counted by exactly one sweeper";
  for (int n = 0; n < kRequests; ++n) {
    StatusOr<SignatureRequest> r = b_.signature_requests->Get("req" + std::to_string(n));
    ASSERT_TRUE(r.ok());
    EXPECT_NE(r->expired_at, 0);
    EXPECT_EQ(r->signatures[0].status_code, "expired");
  }
  // Deliveries to one URL go out in order: deliver each to see them all.
  std::map<std::string, int> events_per_request;
  for (int round = 0; round < 3 * kRequests; ++round) {
    StatusOr<std::vector<EventDelivery>> due = a_.events->ClaimDue(9000, 100, 60);
    ASSERT_TRUE(due.ok()) << due.status().ToString();
    if (due->empty()) break;
    for (const EventDelivery& d : *due) {
      if (d.event.event_type == "signature_request_expired") {
        ++events_per_request[d.event.signature_request_id];
      }
      ASSERT_TRUE(a_.events->MarkDelivered(d.id, 9000, 200).ok());
    }
  }
  EXPECT_EQ(events_per_request.size(), static_cast<size_t>(kRequests));
  for (const auto& [id, count] : events_per_request) EXPECT_EQ(count, 1) << id;
  StatusOr<std::vector<QueuedMail>> mails = b_.mail_queue->ClaimDue(9000, 100, 60);
  ASSERT_TRUE(mails.ok());
  EXPECT_EQ(mails->size(), static_cast<size_t>(kRequests)) << "one mail per expired request";
}

}  // namespace
}  // namespace countersign::testing_store
