// SignatureRequestStore contract tests, run against every backend (store_test_fixture.h):
// every field round-trips, the mail and events of a change are written with it, listing and
// search agree across backends, and the once-only rules (cancel, reminder, sign, complete,
// final PDF, job claims) hold under concurrent callers.
#include "store/signature_request_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class SignatureRequestStoreTest : public StoreTest {
 protected:
  SignatureRequestStore& store() { return *stores_.signature_requests; }

  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Account requester = TestAccount(1);
    requester.callback_url = "https://hooks.example.com/requester";
    ASSERT_TRUE(stores_.accounts->Create(requester).ok());
    requester_ = requester.id;
  }

  SignatureRequest Request(const std::string& id, int64_t created_at, int signers = 2) {
    SignatureRequest r;
    r.id = id;
    r.account_id = requester_;
    r.requester_email = TestAccount(1).email;
    r.title = "NDA " + id;
    r.original_title = r.title;
    r.subject = "Please sign";
    r.message = "Hello Världen";
    r.metadata_json = R"({"k":"v"})";
    r.test_mode = true;
    r.allow_decline = true;
    r.signing_options_json = R"({"draw":true})";
    r.signing_redirect_url = "https://example.com/done";
    r.custom_fields_json = R"([{"name":"Company","value":"Acme"}])";
    r.form_field_groups_json = R"([{"group_id":"g","group_label":"G","requirement":"require_1"}])";
    r.form_field_rules_json = R"([{"id":"r"}])";
    r.created_at = created_at;
    r.expires_at = created_at + 1000;
    r.cc_emails = {"cc@example.com"};
    r.template_ids = {"tpl-a", "tpl-b"};
    r.files = {{"a.pdf", std::string(64, 'a'), 1234, 2, {{612, 792}, {792, 612.5}}},
               {"b.pdf", std::string(64, 'b'), 99, 1, {}}};
    for (int i = 0; i < signers; ++i) {
      Signature s;
      s.signature_id = id + "-sig" + std::to_string(i);
      s.position = i;
      if (i == 1) s.order = 1;
      s.name = "Signer " + std::to_string(i);
      s.email = "signer" + std::to_string(i) + "@example.com";
      s.access_hash = "access-" + s.signature_id;
      if (i == 0) s.role = "Client";
      r.signatures.push_back(s);
    }
    return r;
  }

  EventRecord Event(const std::string& id, const std::string& type, const std::string& request,
                    int64_t at) {
    EventRecord e;
    e.id = id;
    e.event_type = type;
    e.event_time = at;
    e.account_id = requester_;
    e.signature_request_id = request;
    return e;
  }

  QueuedMail Mail(const std::string& id, int64_t at) {
    QueuedMail m;
    m.id = id;
    m.message = {"signer0@example.com", "Signer 0", "Sign", "text", "<p>html</p>"};
    m.next_attempt_at = at;
    m.created_at = at;
    return m;
  }

  AuditEntry Audit(const std::string& action, int64_t at) {
    return {at, action, "signer0@example.com", "127.0.0.1", "test-agent"};
  }

  Status Send(const std::string& id, int64_t at) {
    return store().Create(Request(id, at), {Mail(id + "-mail", at)},
                          {Event(id + "-sent", "signature_request_sent", id, at)},
                          Audit("sent", at));
  }

  std::string requester_;
};

TEST_P(SignatureRequestStoreTest, CreateThenGetRoundTripsEveryField) {
  SignatureRequest want = Request("req1", 1000);
  ASSERT_TRUE(store().Create(want, {Mail("m1", 1000)}, {}, Audit("sent", 1000)).ok());
  StatusOr<SignatureRequest> got = store().Get("req1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->title, want.title);
  EXPECT_EQ(got->message, want.message);
  EXPECT_EQ(got->metadata_json, want.metadata_json);
  EXPECT_EQ(got->custom_fields_json, want.custom_fields_json);
  EXPECT_EQ(got->form_field_groups_json, want.form_field_groups_json);
  EXPECT_EQ(got->form_field_rules_json, want.form_field_rules_json);
  EXPECT_TRUE(got->test_mode);
  EXPECT_TRUE(got->allow_decline);
  EXPECT_FALSE(got->allow_reassign);
  EXPECT_EQ(got->signing_options_json, want.signing_options_json);
  EXPECT_EQ(got->expires_at, 2000);
  EXPECT_EQ(got->cc_emails, want.cc_emails);
  EXPECT_EQ(got->template_ids, want.template_ids);
  ASSERT_EQ(got->files.size(), 2u);
  EXPECT_EQ(got->files[1].name, "b.pdf");
  EXPECT_EQ(got->files[0].size, 1234);
  EXPECT_EQ(got->files[0].page_count, 2);
  ASSERT_EQ(got->files[0].page_sizes.size(), 2u);
  EXPECT_EQ(got->files[0].page_sizes[1].width, 792);
  EXPECT_EQ(got->files[0].page_sizes[1].height, 612.5);
  EXPECT_TRUE(got->files[1].page_sizes.empty());
  ASSERT_EQ(got->signatures.size(), 2u);
  EXPECT_FALSE(got->signatures[0].order.has_value());
  EXPECT_EQ(got->signatures[1].order, 1);
  EXPECT_EQ(got->signatures[1].email, "signer1@example.com");
  EXPECT_EQ(got->signatures[0].status_code, "awaiting_signature");
  EXPECT_EQ(got->signatures[0].role, "Client");
  EXPECT_EQ(got->signatures[1].role, "");
  EXPECT_EQ(store().Get("nope").status().code(), Code::kNotFound);
  StatusOr<std::vector<AuditEntry>> audit = store().Audit("req1");
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "sent");
  EXPECT_EQ(stores_.mail_queue->ClaimDue(1000, 10, 60)->size(), 1u);
}

TEST_P(SignatureRequestStoreTest, EventsOfASendReachTheAccountCallback) {
  ASSERT_TRUE(Send("req1", 1000).ok());
  StatusOr<std::vector<EventDelivery>> due = stores_.events->ClaimDue(1000, 10, 60);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].url, "https://hooks.example.com/requester");
  EXPECT_EQ((*due)[0].event.event_type, "signature_request_sent");
  EXPECT_EQ((*due)[0].event.signature_request_id, "req1");
}

TEST_P(SignatureRequestStoreTest, DuplicateIdWritesNothing) {
  ASSERT_TRUE(Send("req1", 1000).ok());
  EXPECT_EQ(
      store().Create(Request("req1", 1001), {Mail("m2", 1001)}, {}, Audit("sent", 1001)).code(),
      Code::kConflict);
  EXPECT_EQ(stores_.mail_queue->ClaimDue(2000, 10, 60)->size(), 1u);  // only the first send's
}

TEST_P(SignatureRequestStoreTest, ListIsNewestFirstWithCountsAndCaseInsensitiveSearch) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Send("req" + std::to_string(i), 1000 + i).ok());
  RequestListFilter filter;
  filter.account_id = requester_;
  filter.limit = 2;
  StatusOr<RequestPage> page = store().List(filter);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->requests.size(), 2u);
  EXPECT_EQ(page->requests[0].id, "req4");
  EXPECT_EQ(page->requests[1].id, "req3");
  filter.offset = 4;
  EXPECT_EQ(store().List(filter)->requests[0].id, "req0");

  RequestListFilter search;
  search.account_id = requester_;
  search.words = {"VÄRLDEN"};  // ASCII-only case folding in SQLite: this one does not match
  search.title_terms = {"nda REQ2"};
  StatusOr<RequestPage> found = store().List(search);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  search.words = {"HELLO"};
  found = store().List(search);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total, 1);
  ASSERT_EQ(found->requests.size(), 1u);
  EXPECT_EQ(found->requests[0].id, "req2");
  RequestListFilter wildcard;
  wildcard.account_id = requester_;
  wildcard.words = {"100%_"};
  EXPECT_EQ(store().List(wildcard)->total, 0);
}

TEST_P(SignatureRequestStoreTest, CancelOnceAndLeavesTheList) {
  ASSERT_TRUE(Send("req1", 1000).ok());
  std::atomic<int> ok{0}, conflict{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      Status st = store().Cancel(
          "req1", 1100, Event("c" + std::to_string(i), "signature_request_canceled", "req1", 1100));
      (st.ok() ? ok : conflict)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflict.load(), 5);
  RequestListFilter filter;
  filter.account_id = requester_;
  EXPECT_EQ(store().List(filter)->total, 0);
  EXPECT_EQ(store().Get("req1")->canceled_at, 1100);
}

TEST_P(SignatureRequestStoreTest, ReminderIsRateLimitedOnceUnderRacingCallers) {
  ASSERT_TRUE(Send("req1", 1000).ok());
  std::atomic<int> sent{0}, refused{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      std::string n = std::to_string(i);
      StatusOr<bool> r =
          store().TryRemind("req1-sig0", 5000, 3600, "new-access-" + n, Mail("remind-" + n, 5000),
                            Event("remind-event-" + n, "signature_request_remind", "req1", 5000));
      if (!r.ok()) {
        ++errors;
      } else {
        (*r ? sent : refused)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(sent.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_FALSE(*store().TryRemind("req1-sig0", 5000 + 3599, 3600, "x", Mail("late", 8599),
                                  Event("late-event", "signature_request_remind", "req1", 8599)));
  EXPECT_TRUE(*store().TryRemind("req1-sig0", 5000 + 3600, 3600, "y", Mail("next", 8600),
                                 Event("next-event", "signature_request_remind", "req1", 8600)));
  // The invitation plus two reminders were queued; the refused ones queued nothing.
  EXPECT_EQ(stores_.mail_queue->ClaimDue(9000, 20, 60)->size(), 3u);
}

TEST_P(SignatureRequestStoreTest, SigningCompletesOnceAndTheFinalPdfIsRecordedOnce) {
  ASSERT_TRUE(Send("req1", 1000).ok());
  SignatureRequest r = Request("req1", 1000);
  for (int i = 0; i < 2; ++i) {
    Signature s = r.signatures[i];
    s.signed_at = 1100 + i;
    s.signature_kind = "typed";
    s.signature_data = s.name;
    s.signer_ip = "10.0.0.1";
    s.signer_user_agent = "agent";
    s.field_values_json = R"({"name_)" + std::to_string(i) + R"(":"Ann"})";
    ASSERT_TRUE(
        store()
            .Sign("req1", s, {Audit("signed", 1100 + i), Audit("filled", 1100 + i)},
                  Event("signed" + std::to_string(i), "signature_request_signed", "req1", 1100 + i))
            .ok());
    // A second signature with the same link is refused.
    EXPECT_EQ(store()
                  .Sign("req1", s, {Audit("signed", 1100)},
                        Event("again" + std::to_string(i), "signature_request_signed", "req1", 1))
                  .code(),
              Code::kConflict);
  }
  // The advance job is claimed by one caller at a time.
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto jobs = store().ClaimJobs(2000, 5, 60);
      if (!jobs.ok()) return;
      std::lock_guard<std::mutex> lock(mu);
      claimed.insert(jobs->begin(), jobs->end());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.count("req1"), 1u);

  std::atomic<int> completed{0};
  threads.clear();
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto done = store().Complete(
          "req1", 2000, Audit("completed", 2000),
          {Event("all" + std::to_string(i), "signature_request_all_signed", "req1", 2000)});
      if (done.ok() && *done) ++completed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(completed.load(), 1);
  StatusOr<SignatureRequest> got = store().Get("req1");
  EXPECT_TRUE(got->is_complete);
  EXPECT_EQ(got->final_state, FinalState::kPending);
  EXPECT_EQ(got->signatures[1].signature_kind, "typed");
  EXPECT_EQ(got->signatures[1].signed_at, 1101);
  EXPECT_EQ(got->signatures[1].field_values_json, R"({"name_1":"Ann"})");
  ASSERT_TRUE(store().SetFinal("req1", FinalState::kReady, std::string(64, 'f'), {}, {}).ok());
  EXPECT_EQ(store().SetFinal("req1", FinalState::kFailed, "", {}, {}).code(), Code::kConflict);
  EXPECT_EQ(store().Get("req1")->final_sha256, std::string(64, 'f'));
  std::vector<std::string> actions;
  StatusOr<std::vector<AuditEntry>> audit = store().Audit("req1");
  ASSERT_TRUE(audit.ok());
  for (const AuditEntry& e : *audit) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"sent", "signed", "filled", "signed", "filled",
                                               "completed"}));
}

TEST_P(SignatureRequestStoreTest, SentOnlyListsWhatTheAccountSentNotWhatItReceived) {
  Account signer = TestAccount(2);
  signer.email = "signer0@example.com";  // a signer of every Request()
  ASSERT_TRUE(stores_.accounts->Create(signer).ok());
  ASSERT_TRUE(Send("req1", 1000).ok());
  RequestListFilter filter;
  filter.account_id = signer.id;
  EXPECT_EQ(store().List(filter)->total, 1);
  filter.sent_only = true;
  StatusOr<RequestPage> page = store().List(filter);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 0);
  EXPECT_TRUE(page->requests.empty());
  RequestListFilter mine;
  mine.account_id = requester_;
  mine.sent_only = true;
  EXPECT_EQ(store().List(mine)->total, 1);
}

TEST_P(SignatureRequestStoreTest, PinFailuresLockOnceAtTheLimitAndARightPinClearsThem) {
  ASSERT_TRUE(Send("req1", 1000).ok());
  const std::string sig = "req1-sig0";
  EXPECT_EQ(store().GetPinState("nope").status().code(), Code::kNotFound);
  StatusOr<PinState> state = store().RecordPinFailure(sig, 2000, 5, 900);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->failures, 1);
  EXPECT_EQ(state->locked_until, 0);
  ASSERT_TRUE(store().RecordPinSuccess(sig, "passhash").ok());
  EXPECT_EQ(store().GetPinState(sig)->failures, 0);
  EXPECT_EQ(store().GetPinState(sig)->pass_hash, "passhash");
  // Five racing wrong PINs: exactly one of them reaches the limit and locks.
  std::atomic<int> locks{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&] {
      StatusOr<PinState> s = store().RecordPinFailure(sig, 3000, 5, 900);
      if (!s.ok()) {
        ++errors;
      } else if (s->locked_until == 3900) {
        ++locks;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(locks.load(), 1);
  StatusOr<PinState> after = store().GetPinState(sig);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->failures, 0);
  EXPECT_EQ(after->locked_until, 3900);
  EXPECT_EQ(store().GetPinState("req1-sig1")->failures, 0) << "other signers are untouched";
}

TEST_P(SignatureRequestStoreTest, ASignUrlOpensOnceBeforeItExpiresAndSetsTheLinkHash) {
  SignatureRequest r = Request("emb1", 1000);
  r.embedded = true;
  ASSERT_TRUE(store().Create(r, {}, {}, Audit("sent", 1000)).ok());
  EXPECT_TRUE(store().Get("emb1")->embedded) << "the flag round-trips";
  const std::string sig = "emb1-sig0";
  ASSERT_TRUE(store().AddSignUrl(sig, "url-hash", 5000, 2000).ok());
  ASSERT_TRUE(store().AddSignUrl(sig, "late-hash", 2500, 2000).ok());
  EXPECT_FALSE(*store().RedeemSignUrl("emb1-sig1", "url-hash", 3000, "x")) << "another signer";
  EXPECT_FALSE(*store().RedeemSignUrl(sig, "late-hash", 3000, "x")) << "expired";
  // Racing openings of one sign_url: exactly one wins.
  std::atomic<int> wins{0}, errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      StatusOr<bool> won =
          store().RedeemSignUrl(sig, "url-hash", 3000, "link-" + std::to_string(i));
      if (!won.ok()) ++errors;
      if (won.ok() && *won) ++wins;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(wins.load(), 1);
  const std::string hash = store().Get("emb1")->signatures[0].access_hash;
  EXPECT_EQ(hash.rfind("link-", 0), 0u) << hash;
  EXPECT_EQ(store().Get("emb1")->signatures[1].access_hash, "access-emb1-sig1");
  // A day after they expired, sign_urls are forgotten when the next one is stored.
  ASSERT_TRUE(store().AddSignUrl(sig, "next-hash", 200000, 100000).ok());
  EXPECT_FALSE(*store().RedeemSignUrl(sig, "late-hash", 2400, "x")) << "forgotten";
  EXPECT_TRUE(*store().RedeemSignUrl(sig, "next-hash", 100001, "y"));
}

CS_INSTANTIATE_STORE_TESTS(SignatureRequestStoreTest);

}  // namespace
}  // namespace countersign::testing_store
