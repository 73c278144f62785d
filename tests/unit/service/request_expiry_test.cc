// RequestExpiry over SQLite :memory: and a FakeClock: nothing happens before expires_at; at it,
// the request expires once with the sender's mail and the event; its signing link is refused
// with the expired page's status (kGone, path expires_at).
#include "service/request_expiry.h"

#include <gtest/gtest.h>

#include "service/service_fixture.h"
#include "service/signing_service.h"

namespace countersign {
namespace {

class RequestExpiryTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    sender_ = MakeAccount("sender@example.com");
    SignatureRequest r;
    r.id = std::string(40, 'a');
    r.account_id = sender_.account.id;
    r.requester_email = sender_.account.email;
    r.title = "Lease <2024>";
    r.created_at = clock_.NowSeconds();
    r.expires_at = clock_.NowSeconds() + 3600;
    for (int i = 0; i < 2; ++i) {
      Signature s;
      s.signature_id = std::string(31, 'b') + std::to_string(i);
      s.position = i;
      s.name = i == 0 ? "Ann" : "Bob";
      s.email = i == 0 ? "ann@example.com" : "bob@example.com";
      s.access_hash = Sha256Hex("secret" + std::to_string(i));
      r.signatures.push_back(s);
    }
    ASSERT_TRUE(
        stores_.signature_requests->Create(r, {}, {}, {r.created_at, "sent", "", "", ""}).ok());
    request_ = r;
  }

  std::vector<QueuedMail> Mails() {
    auto claimed = stores_.mail_queue->ClaimDue(clock_.NowSeconds() + 1, 100, 60);
    EXPECT_TRUE(claimed.ok());
    return claimed.ok() ? *claimed : std::vector<QueuedMail>{};
  }

  NewAccount sender_;
  SignatureRequest request_;
};

TEST_F(RequestExpiryTest, ExpiresOnceAtExpiresAtAndMailsTheSender) {
  RequestExpiry expiry(*stores_.signature_requests, clock_);
  clock_.Advance(3599);
  EXPECT_EQ(*expiry.ExpireDue(10), 0) << "not yet";
  clock_.Advance(1);
  EXPECT_EQ(*expiry.ExpireDue(10), 1);
  EXPECT_EQ(*expiry.ExpireDue(10), 0) << "once";

  StatusOr<SignatureRequest> r = stores_.signature_requests->Get(request_.id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->expired_at, clock_.NowSeconds());
  for (const Signature& s : r->signatures) EXPECT_EQ(s.status_code, "expired");

  std::vector<QueuedMail> mails = Mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message.to_email, "sender@example.com");
  EXPECT_EQ(mails[0].message.subject, "Expired: Lease <2024>");
  EXPECT_NE(mails[0].message.text_body.find("Bob <bob@example.com>"), std::string::npos);
  EXPECT_NE(mails[0].message.html_body.find("Lease &lt;2024&gt;"), std::string::npos);
  EXPECT_EQ(mails[0].message.html_body.find("<2024>"), std::string::npos) << "escaped";
}

TEST_F(RequestExpiryTest, SigningLinksShowTheExpiredPageBeforeAndAfterTheSweep) {
  SigningService signing(*stores_.signature_requests, clock_);
  const std::string sig = request_.signatures[0].signature_id;
  ASSERT_TRUE(signing.Open(sig, "secret0").ok());
  clock_.Advance(3600);
  StatusOr<SignerSession> before = signing.Open(sig, "secret0");
  EXPECT_EQ(before.status().code(), Code::kGone);
  EXPECT_EQ(before.status().path(), "expires_at");
  RequestExpiry expiry(*stores_.signature_requests, clock_);
  ASSERT_EQ(*expiry.ExpireDue(10), 1);
  // Even with the clock set back (or expires_at moved later), an expired request stays closed.
  clock_.Advance(-7200);
  StatusOr<SignerSession> after = signing.Open(sig, "secret0");
  EXPECT_EQ(after.status().code(), Code::kGone);
  EXPECT_EQ(after.status().path(), "expires_at");
}

}  // namespace
}  // namespace countersign
