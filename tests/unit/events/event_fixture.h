// A fixture for the event callback tests: the real stores over in-memory SQLite, a FakeClock,
// accounts whose API keys are sealed (so events can be signed), an EventService, and an
// EventWorker driven by RunOnce() with a scripted fake CallbackPoster. Not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/public_url.h"
#include "core/secret_box.h"
#include "events/callback_poster.h"
#include "events/event_worker.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/event_service.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {

// Answers each URL as told (200 + acknowledgement by default) and records every POST.
class FakePoster : public CallbackPoster {
 public:
  struct Call {
    std::string url;
    nlohmann::json payload;
    int64_t at = 0;
  };

  explicit FakePoster(const Clock& clock) : clock_(clock) {}

  CallbackResult Post(const std::string& url, const std::string& json_payload,
                      const CallbackOptions& options) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(Call{url, nlohmann::json::parse(json_payload), clock_.NowSeconds()});
    auto it = answers_.find(url);
    if (it != answers_.end()) return it->second;
    return Ok();
  }

  // How `url` answers from now on.
  void Answer(const std::string& url, CallbackResult result) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_[url] = std::move(result);
  }
  static CallbackResult Ok() { return CallbackResult{200, "Hello API Event Received", ""}; }
  static CallbackResult Http(int status, std::string body) {
    return CallbackResult{status, std::move(body), ""};
  }
  static CallbackResult TimedOut() { return CallbackResult{0, "", "Timeout was reached"}; }

  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // The POSTs to `url`, in order.
  std::vector<Call> CallsTo(const std::string& url) {
    std::vector<Call> out;
    for (Call& c : calls()) {
      if (c.url == url) out.push_back(std::move(c));
    }
    return out;
  }

 private:
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, CallbackResult> answers_;
  std::vector<Call> calls_;
};

class EventFixture : public ::testing::Test {
 protected:
  static constexpr int64_t kStart = 1700000000;

  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    auto stores = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    stores_ = std::move(stores).value();
    auto box = SecretBox::FromHex(std::string(64, 'a'));
    ASSERT_TRUE(box.ok()) << box.status().ToString();
    box_.emplace(std::move(box).value());
    accounts_ = std::make_unique<AccountService>(*stores_.accounts, clock_,
                                                 AccountService::Options{true, 8, &*box_});
    apps_ = std::make_unique<AppService>(*stores_.apps, clock_);
    events_ = std::make_unique<EventService>(*stores_.events, clock_, nullptr);
    options_.retry_offsets_seconds = {10, 30, 70};
    options_.disable_after_failures = 3;
    worker_ = std::make_unique<EventWorker>(*stores_.events, *stores_.signature_requests,
                                            *stores_.accounts, *stores_.mail_queue, poster_, *box_,
                                            clock_, public_url_, options_);
  }

  // An account whose account callback is `callback_url` ("" none).
  NewAccount MakeAccount(const std::string& email, const std::string& callback_url) {
    auto a = accounts_->Create(email, "correct horse battery");
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    if (!callback_url.empty()) {
      AccountChanges changes;
      changes.callback_url = callback_url;
      EXPECT_TRUE(accounts_->Update(a->account.id, changes).ok());
    }
    return std::move(a).value();
  }

  // An app of `owner` whose event callback is `callback_url`.
  ApiApp MakeApp(const std::string& owner, const std::string& callback_url) {
    AppFields f;
    f.name = "Events app";
    f.domains = std::vector<std::string>{"example.com"};
    f.callback_url = callback_url;
    auto app = apps_->Create(owner, f);
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    return app->app;
  }

  // Records an event of request `request_id` of `account_id` (through app `client_id`).
  EventRecord RecordRequestEvent(const std::string& type, const std::string& account_id,
                                 const std::string& client_id = "",
                                 const std::string& request_id = "") {
    EventRecord e;
    e.id = NewInternalId();
    e.event_type = type;
    e.event_time = clock_.NowSeconds();
    e.account_id = account_id;
    e.client_id = client_id;
    e.signature_request_id = request_id.empty() ? NewAccountId() : request_id;
    EXPECT_TRUE(stores_.events->Record(e, clock_.NowSeconds()).ok());
    return e;
  }

  // RunOnce until nothing is due (bounded); returns how many tries were made.
  int RunDue() {
    int total = 0;
    for (int i = 0; i < 100; ++i) {
      int n = worker_->RunOnce();
      if (n == 0) break;
      total += n;
    }
    return total;
  }

  std::vector<EventDelivery> Deliveries(CallbackKind kind, const std::string& target_id) {
    auto recent = events_->RecentDeliveries(kind, target_id, 100);
    EXPECT_TRUE(recent.ok()) << recent.status().ToString();
    return recent.ok() ? *recent : std::vector<EventDelivery>{};
  }

  bool Disabled(CallbackKind kind, const std::string& target_id) {
    auto disabled = events_->IsDisabled(kind, target_id);
    EXPECT_TRUE(disabled.ok());
    return disabled.ok() && *disabled;
  }

  // Every queued mail (claimed far in the future, so each is returned once).
  std::vector<QueuedMail> TakeMails() {
    auto mails = stores_.mail_queue->ClaimDue(clock_.NowSeconds() + 1000000000, 1000, 60);
    EXPECT_TRUE(mails.ok());
    return mails.ok() ? *mails : std::vector<QueuedMail>{};
  }

  FakeClock clock_{kStart};
  PublicUrl public_url_{"https://sign.example.com"};
  Stores stores_;
  std::optional<SecretBox> box_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<AppService> apps_;
  std::unique_ptr<EventService> events_;
  FakePoster poster_{clock_};
  EventWorkerOptions options_;
  std::unique_ptr<EventWorker> worker_;
};

}  // namespace countersign
