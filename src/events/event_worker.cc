#include "events/event_worker.h"

#include <algorithm>

#include "core/ids.h"
#include "core/json_dump.h"
#include "core/log.h"
#include "service/field_values.h"
#include "service/new_mail.h"
#include "service/signer_mail.h"
#include "service/template_service.h"
#include "wire/event_payload.h"
#include "wire/render.h"
#include "wire/signature_request_render.h"
#include "wire/template_render.h"

namespace countersign {

namespace {

constexpr char kAcknowledgement[] = "Hello API Event Received";

}  // namespace

EventWorker::EventWorker(EventStore& events, SignatureRequestStore& requests,
                         AccountStore& accounts, MailQueueStore& mail, CallbackPoster& poster,
                         const SecretBox& keys, const Clock& clock, const PublicUrl& public_url,
                         EventWorkerOptions options)
    : BackgroundTask({"events", options.threads, options.poll_interval}),
      events_(events),
      requests_(requests),
      accounts_(accounts),
      mail_(mail),
      poster_(poster),
      keys_(keys),
      clock_(clock),
      public_url_(public_url),
      options_(std::move(options)) {}

EventWorker::~EventWorker() { Stop(); }

void EventWorker::Count(std::string_view outcome) {
  if (options_.counters != nullptr) options_.counters->CountDelivery(outcome);
}

int EventWorker::RunOnce() {
  // The lease outlasts the tries of the whole batch (one timeout each) with room to record the
  // outcomes, so no claimed delivery can be claimed again while it waits its turn.
  const int64_t lease =
      static_cast<int64_t>(std::max(1, options_.batch_size)) * options_.callback.timeout_seconds +
      60;
  auto claimed = events_.ClaimDue(clock_.NowSeconds(), options_.batch_size, lease);
  if (!claimed.ok()) {
    log::Warn("events", "cannot claim deliveries: " + claimed.status().ToString());
    return 0;
  }
  for (const auto& d : *claimed) Deliver(d);
  return static_cast<int>(claimed->size());
}

void EventWorker::Deliver(const EventDelivery& d) {
  int64_t started = clock_.NowSeconds();
  Status st = GuardItem([&] { return TryDeliver(d, started); });
  if (st.ok()) return;
  log::Warn("events", "delivery " + d.id + " failed: " + st.ToString());
  Status recorded = GuardItem([&] {
    RecordFailedTry(d, started, 0, st.message());
    return Status::Ok();
  });
  // Not even recorded: the delivery comes back when its lease ends.
  if (!recorded.ok()) log::Warn("events", "delivery " + d.id + ": " + recorded.ToString());
}

// OK when the try was recorded (delivered, retry scheduled or given up); an error only when the
// try could not even be made (the caller records it as a failed try).
Status EventWorker::TryDeliver(const EventDelivery& d, int64_t& started) {
  // Sign with the API key of the account that owns the callback.
  auto owner = accounts_.FindById(d.key_account_id);
  std::string api_key;
  if (owner.ok() && !owner->api_key_sealed.empty()) {
    auto opened = keys_.Open(owner->api_key_sealed);
    if (opened.ok()) api_key = std::move(opened).value();
  }
  if (api_key.empty()) {
    GiveUp(d, 0, "the callback owner's API key is not available to sign the event");
    return Status::Ok();
  }
  nlohmann::json subject = nullptr;
  if (!d.event.signature_request_id.empty()) {
    auto r = requests_.Get(d.event.signature_request_id);
    if (r.ok()) subject = wire::RenderSignatureRequest(*r, public_url_.Get(), FieldDataOf(*r));
  } else if (!d.event.template_id.empty()) {
    auto t = options_.templates ? options_.templates->Get(d.event.template_id)
                                : StatusOr<Template>(NotFound());
    auto view = t.ok() ? ViewOfTemplate(accounts_, std::move(t).value(), d.event.account_id)
                       : StatusOr<TemplateView>(t.status());
    if (view.ok()) {
      subject = wire::RenderTemplate({view->tmpl, view->fields, view->groups, view->accounts,
                                      view->is_creator, view->can_edit});
    }
  } else {
    auto account = accounts_.FindById(d.event.account_id);
    if (account.ok()) subject = wire::RenderAccount(*account);
  }
  // DumpJson replaces invalid UTF-8 (stored names, titles, URLs) instead of throwing.
  const std::string payload = DumpJson(wire::BuildEventPayload(d, api_key, subject));
  started = clock_.NowSeconds();
  CallbackResult result = poster_.Post(d.url, payload, options_.callback);
  if (result.http_status == 200 && result.body.find(kAcknowledgement) != std::string::npos) {
    Status st = events_.MarkDelivered(d.id, clock_.NowSeconds(), result.http_status);
    if (!st.ok()) log::Warn("events", st.ToString());
    Count("delivered");
    return Status::Ok();
  }
  std::string error = !result.error.empty()
                          ? result.error
                          : "HTTP " + std::to_string(result.http_status) +
                                (result.http_status == 200 ? " without the acknowledgement" : "");
  RecordFailedTry(d, started, result.http_status, error);
  return Status::Ok();
}

void EventWorker::RecordFailedTry(const EventDelivery& d, int64_t started, int http_status,
                                  const std::string& error) {
  const int64_t now = clock_.NowSeconds();
  const size_t tried = static_cast<size_t>(d.attempts) + 1;
  const auto& offsets = options_.retry_offsets_seconds;
  if (tried <= offsets.size()) {
    // Offsets count from the first try, which may come long after the event was recorded (an
    // earlier event to the same URL being retried): the first try is now, and each later try
    // was due at first try + the previous offset.
    const int64_t previous = tried >= 2 ? offsets[tried - 2] : 0;
    const int64_t base = d.attempts == 0 ? started : d.next_attempt_at;
    const int64_t retry_at = base + offsets[tried - 1] - previous;
    Status st = events_.MarkRetry(d.id, std::max(retry_at, now), http_status, error);
    if (!st.ok()) log::Warn("events", st.ToString());
    Count("retry");
    return;
  }
  GiveUp(d, http_status, error);
}

void EventWorker::GiveUp(const EventDelivery& d, int status_code, const std::string& error) {
  const int64_t now = clock_.NowSeconds();
  // Failing and, at the limit, switching the callback off are one transaction: no other worker
  // starts the callback's next delivery in between.
  StatusOr<bool> disabled =
      events_.MarkFailed(d.id, now, status_code, error, options_.disable_after_failures);
  Count("failed");
  if (!disabled.ok()) {
    log::Warn("events", disabled.status().ToString());
    return;
  }
  log::Warn("events", "giving up on " + d.event.event_type + " to " + d.url + ": " + error);
  const bool disable = *disabled;
  auto owner = accounts_.FindById(d.key_account_id);
  if (!owner.ok()) return;
  QueuedMail mail = NewMail(owner->email, "", now);
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
  if (!queued.ok()) log::Warn("events", queued.ToString());
}

}  // namespace countersign
