// The web app's Documents folders (RequestListFilter::box) on every backend: each request
// lands in the folders a user expects, and counts follow the folder.
#include <gtest/gtest.h>

#include <algorithm>

#include "store/signature_request_store.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class RequestBoxesTest : public StoreTest {
 protected:
  static constexpr int64_t kNow = 10'000;

  SignatureRequestStore& store() { return *stores_.signature_requests; }

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Account me = TestAccount(1);
    Account sender = TestAccount(2);
    ASSERT_TRUE(stores_.accounts->Create(me).ok());
    ASSERT_TRUE(stores_.accounts->Create(sender).ok());
    me_ = me;
    sender_ = sender;
  }

  // A request sent by `from` to one signer `to` at `at`, changed by `tweak`.
  void Add(const std::string& id, const Account& from, const std::string& to, int64_t at,
           void (*tweak)(SignatureRequest&) = nullptr) {
    SignatureRequest r;
    r.id = id;
    r.account_id = from.id;
    r.requester_email = from.email;
    r.title = id;
    r.original_title = id;
    r.created_at = at;
    r.files = {{"a.pdf", std::string(64, 'a'), 10, 1, {}}};
    Signature s;
    s.signature_id = id + "-sig";
    s.name = "Signer";
    s.email = to;
    r.signatures.push_back(s);
    if (tweak) tweak(r);
    ASSERT_TRUE(store().Create(r, {}, {}, {at, "sent", from.email, "", ""}).ok()) << id;
  }

  std::vector<std::string> Box(RequestBox box) {
    RequestListFilter f;
    f.account_id = me_.id;
    f.box = box;
    f.viewer_email = me_.email;
    f.now = kNow;
    f.limit = 50;
    StatusOr<RequestPage> page = store().List(f);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return {};
    std::vector<std::string> ids;
    for (const auto& r : page->requests) ids.push_back(r.id);
    EXPECT_EQ(page->total, static_cast<int64_t>(ids.size()));
    return ids;
  }

  Account me_;
  Account sender_;
};

TEST_P(RequestBoxesTest, EachRequestIsInTheFoldersAUserExpects) {
  Add("to-me", sender_, me_.email, 1);
  Add("mine-open", me_, "bob@example.com", 2);
  Add("mine-done", me_, "bob@example.com", 3, [](SignatureRequest& r) {
    r.is_complete = true;
    r.signatures[0].status_code = "signed";
  });
  Add("mine-declined", me_, "bob@example.com", 4, [](SignatureRequest& r) {
    r.is_declined = true;
    r.signatures[0].status_code = "declined";
  });
  Add("mine-canceled", me_, "bob@example.com", 5);
  EventRecord canceled;
  canceled.id = "ev-canceled";
  canceled.event_type = "signature_request_canceled";
  canceled.event_time = 5;
  canceled.account_id = me_.id;
  canceled.signature_request_id = "mine-canceled";
  ASSERT_TRUE(store().Cancel("mine-canceled", 5, canceled).ok());
  Add("mine-expired", me_, "bob@example.com", 6,
      [](SignatureRequest& r) { r.expires_at = kNow - 1; });
  Add("to-me-signed", sender_, me_.email, 7,
      [](SignatureRequest& r) { r.signatures[0].status_code = "signed"; });
  Add("not-mine", sender_, "carol@example.com", 8);

  using V = std::vector<std::string>;
  EXPECT_EQ(Box(RequestBox::kWaitingForMe), V({"to-me"}));
  EXPECT_EQ(Box(RequestBox::kWaitingForOthers), V({"mine-open"}));
  EXPECT_EQ(Box(RequestBox::kCompleted), V({"mine-done"}));
  EXPECT_EQ(Box(RequestBox::kDeclined), V({"mine-declined"}));
  EXPECT_EQ(Box(RequestBox::kCanceled), V({"mine-canceled"}));
  EXPECT_EQ(Box(RequestBox::kExpired), V({"mine-expired"}));
  // Everything but canceled, newest first.
  EXPECT_EQ(Box(RequestBox::kAll), V({"to-me-signed", "mine-expired", "mine-declined", "mine-done",
                                      "mine-open", "to-me"}));
}

// "Waiting for me" lists a request only when it is my turn in the signing order; without an
// order every awaiting signer's turn has come.
TEST_P(RequestBoxesTest, WaitingForMeFollowsTheSigningOrder) {
  auto second = [](SignatureRequest& r) {
    Signature first = r.signatures[0];
    first.signature_id = r.id + "-first";
    first.email = "first@example.com";
    r.signatures[0].position = 1;
    first.position = 0;
    r.signatures.insert(r.signatures.begin(), first);
  };
  Add("unordered", sender_, me_.email, 1, second);
  Add("not-yet", sender_, me_.email, 2, [](SignatureRequest& r) {
    Signature first = r.signatures[0];
    first.signature_id = r.id + "-first";
    first.email = "first@example.com";
    first.order = 0;
    r.signatures[0].order = 1;
    r.signatures[0].position = 1;
    r.signatures.insert(r.signatures.begin(), first);
  });
  Add("now-mine", sender_, me_.email, 3, [](SignatureRequest& r) {
    Signature first = r.signatures[0];
    first.signature_id = r.id + "-first";
    first.email = "first@example.com";
    first.order = 0;
    first.status_code = "signed";
    r.signatures[0].order = 1;
    r.signatures[0].position = 1;
    r.signatures.insert(r.signatures.begin(), first);
  });
  using V = std::vector<std::string>;
  EXPECT_EQ(Box(RequestBox::kWaitingForMe), V({"now-mine", "unordered"}));
}

CS_INSTANTIATE_STORE_TESTS(RequestBoxesTest);

}  // namespace
}  // namespace countersign::testing_store
