// EventWorker: delivers recorded events to callback URLs in the background. Each try POSTs the
// event (CallbackPoster) and succeeds only on HTTP 200 whose body contains
// "Hello API Event Received". Failed tries are retried on Dropbox Sign's schedule, counted
// from the first try (by default 5 min, 15 min, 45 min, 2 h 15, 6 h 45, 20 h 15; configurable
// so tests run it in seconds); then the delivery is marked failed, the callback's owner is
// emailed, and after `disable_after_failures` failed deliveries in a row the callback is
// switched off until its owner saves it again. One callback URL receives its events in order
// (the store hands out only the oldest undelivered one per URL). Thread-safe; owns its
// threads.
#pragma once

#include <chrono>
#include <vector>

#include "core/background_task.h"
#include "core/clock.h"
#include "core/ops_counters.h"
#include "core/public_url.h"
#include "core/secret_box.h"
#include "events/callback_poster.h"
#include "store/account_store.h"
#include "store/event_store.h"
#include "store/mail_queue_store.h"
#include "store/signature_request_store.h"
#include "store/template_store.h"

namespace countersign {

struct EventWorkerOptions {
  std::vector<int64_t> retry_offsets_seconds = {300, 900, 2700, 8100, 24300, 72900};
  CallbackOptions callback;
  // Each thread tries one delivery at a time, so a receiver that hangs until the timeout holds
  // up one thread, not the deliveries to other URLs.
  int threads = 8;
  std::chrono::milliseconds poll_interval{500};
  // Deliveries claimed per pass; they are tried one after the other, under one lease.
  int batch_size = 1;
  int disable_after_failures = 3;
  OpsCounters* counters = nullptr;  // counts tries by outcome (metrics); null: not counted
  // Renders the `template` of template events (template_created); null: sent without it.
  TemplateStore* templates = nullptr;
};

// Stop() lets the deliveries in progress finish; claimed but untried ones come back after their
// lease.
class EventWorker final : public BackgroundTask {
 public:
  EventWorker(EventStore& events, SignatureRequestStore& requests, AccountStore& accounts,
              MailQueueStore& mail, CallbackPoster& poster, const SecretBox& keys,
              const Clock& clock, const PublicUrl& public_url, EventWorkerOptions options);
  ~EventWorker() override;  // Stop()

  // Claims and attempts due deliveries; returns how many.
  int RunOnce() override;

 private:
  // Tries one claimed delivery and records the outcome. Any failure to build or post it,
  // exceptions included, counts as a failed try of that delivery (retried on the schedule).
  void Deliver(const EventDelivery& delivery);
  Status TryDeliver(const EventDelivery& delivery, int64_t& started);
  void RecordFailedTry(const EventDelivery& delivery, int64_t started, int http_status,
                       const std::string& error);
  void GiveUp(const EventDelivery& delivery, int status_code, const std::string& error);
  // Reports one try's outcome to options_.counters.
  void Count(std::string_view outcome);

  EventStore& events_;
  SignatureRequestStore& requests_;
  AccountStore& accounts_;
  MailQueueStore& mail_;
  CallbackPoster& poster_;
  const SecretBox& keys_;
  const Clock& clock_;
  const PublicUrl& public_url_;
  EventWorkerOptions options_;
};

}  // namespace countersign
