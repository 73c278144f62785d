#include "events/event_worker.h"

#include <algorithm>
#include <iostream>

#include "api/render.h"
#include "api/signature_request_render.h"
#include "core/ids.h"
#include "events/event_payload.h"
#include "service/signer_mail.h"

namespace countersign {

namespace {

constexpr char kAcknowledgement[] = "Hello API Event Received";

}  // namespace

EventWorker::EventWorker(EventStore& events, SignatureRequestStore& requests,
                         AccountStore& accounts, MailQueueStore& mail, CallbackPoster& poster,
                         const SecretBox& keys, const Clock& clock, const PublicUrl& public_url,
                         EventWorkerOptions options)
    : events_(events),
      requests_(requests),
      accounts_(accounts),
      mail_(mail),
      poster_(poster),
      keys_(keys),
      clock_(clock),
      public_url_(public_url),
      options_(std::move(options)) {}

EventWorker::~EventWorker() { Stop(); }

void EventWorker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

void EventWorker::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

void EventWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void EventWorker::Loop() {
  while (true) {
    int done = RunOnce();
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    if (done == 0) {
      cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
      woken_ = false;
      if (stopping_) return;
    }
  }
}

int EventWorker::RunOnce() {
  // The lease outlasts the tries of the whole batch (one timeout each) with room to record the
  // outcomes, so no claimed delivery can be claimed again while it waits its turn.
  const int64_t lease =
      static_cast<int64_t>(std::max(1, options_.batch_size)) * options_.callback.timeout_seconds +
      60;
  auto claimed = events_.ClaimDue(clock_.NowSeconds(), options_.batch_size, lease);
  if (!claimed.ok()) {
    std::cerr << "events: cannot claim deliveries: " << claimed.status().ToString() << std::endl;
    return 0;
  }
  for (const auto& d : *claimed) Deliver(d);
  return static_cast<int>(claimed->size());
}

void EventWorker::Deliver(const EventDelivery& d) {
  // Sign with the API key of the account that owns the callback.
  auto owner = accounts_.FindById(d.key_account_id);
  std::string api_key;
  if (owner.ok() && !owner->api_key_sealed.empty()) {
    auto opened = keys_.Open(owner->api_key_sealed);
    if (opened.ok()) api_key = std::move(opened).value();
  }
  if (api_key.empty()) {
    GiveUp(d, 0, "the callback owner's API key is not available to sign the event");
    return;
  }
  nlohmann::json subject = nullptr;
  if (!d.event.signature_request_id.empty()) {
    auto r = requests_.Get(d.event.signature_request_id);
    if (r.ok()) subject = api::RenderSignatureRequest(*r, public_url_.Get());
  } else {
    auto account = accounts_.FindById(d.event.account_id);
    if (account.ok()) subject = api::RenderAccount(*account);
  }
  const std::string payload = BuildEventPayload(d, api_key, subject).dump();
  const int64_t started = clock_.NowSeconds();
  CallbackResult result = poster_.Post(d.url, payload, options_.callback);
  const int64_t now = clock_.NowSeconds();
  if (result.http_status == 200 && result.body.find(kAcknowledgement) != std::string::npos) {
    Status st = events_.MarkDelivered(d.id, now, result.http_status);
    if (!st.ok()) std::cerr << "events: " << st.ToString() << std::endl;
    return;
  }
  std::string error = !result.error.empty()
                          ? result.error
                          : "HTTP " + std::to_string(result.http_status) +
                                (result.http_status == 200 ? " without the acknowledgement" : "");
  const size_t tried = static_cast<size_t>(d.attempts) + 1;
  const auto& offsets = options_.retry_offsets_seconds;
  if (tried <= offsets.size()) {
    // Offsets count from the first try, which may come long after the event was recorded (an
    // earlier event to the same URL being retried): the first try is now, and each later try
    // was due at first try + the previous offset.
    const int64_t previous = tried >= 2 ? offsets[tried - 2] : 0;
    const int64_t base = d.attempts == 0 ? started : d.next_attempt_at;
    const int64_t retry_at = base + offsets[tried - 1] - previous;
    Status st = events_.MarkRetry(d.id, std::max(retry_at, now), result.http_status, error);
    if (!st.ok()) std::cerr << "events: " << st.ToString() << std::endl;
    return;
  }
  GiveUp(d, result.http_status, error);
}

void EventWorker::GiveUp(const EventDelivery& d, int status_code, const std::string& error) {
  const int64_t now = clock_.NowSeconds();
  Status st = events_.MarkFailed(d.id, now, status_code, error);
  if (!st.ok()) {
    std::cerr << "events: " << st.ToString() << std::endl;
    return;
  }
  std::cerr << "events: giving up on " << d.event.event_type << " to " << d.url << ": " << error
            << std::endl;
  auto failures = events_.FailuresSinceLastSuccess(d.kind, d.target_id);
  const bool disable = failures.ok() && *failures >= options_.disable_after_failures;
  if (disable) (void)events_.SetCallbackDisabled(d.kind, d.target_id, true, now);
  auto owner = accounts_.FindById(d.key_account_id);
  if (!owner.ok()) return;
  QueuedMail mail;
  mail.id = NewInternalId();
  mail.created_at = now;
  mail.next_attempt_at = now;
  mail.message.to_email = owner->email;
  mail.message.subject = "Event callback failed: " + d.event.event_type;
  const std::string page =
      public_url_.Get() + (d.kind == CallbackKind::kApp ? "/apps/" + d.target_id + "/deliveries"
                                                        : std::string("/account/deliveries"));
  mail.message.text_body =
      "Countersign could not deliver the event \"" + d.event.event_type + "\" to your callback " +
      d.url + " (" + error + ").\n\n" +
      (disable ? "After repeated failures this callback is now switched off. Save the callback "
                 "URL again, or send a test event from " +
                     page + ", to switch it back on.\n"
               : "Later events will still be sent. You can resend this one from " + page + "\n");
  mail.message.html_body = "<p>" + HtmlEscape(mail.message.text_body) + "</p>";
  Status queued = mail_.Enqueue(mail);
  if (!queued.ok()) std::cerr << "events: " << queued.ToString() << std::endl;
}

}  // namespace countersign
