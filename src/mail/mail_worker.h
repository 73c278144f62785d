// MailWorker: the background sender of the durable mail queue. One thread claims due mail
// (a lease, so another instance cannot take it meanwhile), sends each through the Mailer and
// records the outcome: sent; retry later with exponential backoff on a temporary failure; failed
// on a permanent one or after too many attempts. With a Mailer that GroupsDurability() (the
// outbox), a pass's accepted mails are recorded as sent only after one Mailer::Flush(), all in
// one transaction (MailQueueStore::MarkAllSent): one commit per pass, not one per mail. Failures
// are logged (core/log.h), one line each.
//
// Thread-safe: Start, Stop, Wake and RunOnce may be called from any thread (RunOnce is meant
// for tests and one-shot tools, not alongside a started worker).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "core/background_task.h"
#include "core/clock.h"
#include "mail/mailer.h"
#include "store/mail_queue_store.h"

namespace countersign {

struct MailWorkerOptions {
  std::chrono::milliseconds poll_interval{1000};  // idle wait between passes (Wake cuts it)
  int batch_size = 20;                            // mails claimed per pass
  int64_t lease_seconds = 120;                    // how long a claim hides a mail
  int64_t retry_base_seconds = 30;                // delay after the first failure; doubles
  int64_t retry_max_seconds = 3600;               // cap of the delay
  int max_attempts = 20;                          // the last allowed attempt fails for good
};

// Delay before the next attempt of a mail that has now failed `failed_attempts` (>= 1) times:
// retry_base_seconds * 2^(failed_attempts - 1), capped at retry_max_seconds.
int64_t MailRetryDelaySeconds(int failed_attempts, const MailWorkerOptions& options);

// Stop() lets the pass in progress finish the mail being sent and release the mail it claimed
// but did not try (MailQueueStore::Release; if that fails, the mail becomes due again when its
// lease ends). Wake() e.g. right after a service queued mail.
class MailWorker final : public BackgroundTask {
 public:
  // `queue`, `mailer` and `clock` must outlive this object.
  MailWorker(MailQueueStore& queue, Mailer& mailer, const Clock& clock,
             MailWorkerOptions options = {});
  ~MailWorker() override;  // Stop()

  // Claims up to batch_size due mails, sends them and records the outcomes; returns how many
  // mails it claimed.
  int RunOnce() override;

 private:
  // Records the outcome of sending one claimed mail (`sent`: what the Mailer answered, an
  // exception while sending counting as a temporary failure): sent, retry later, or failed.
  void Record(const QueuedMail& mail, const Status& sent);
  // Flushes the mailer and records the mails it accepted in this pass as sent, in one
  // transaction; if the flush failed, records that failure for each of them instead.
  void RecordAccepted(const std::vector<const QueuedMail*>& accepted);
  // Releases the claims of claimed[first..] (not tried because the worker is stopping).
  void ReleaseUntried(const std::vector<QueuedMail>& claimed, size_t first);

  MailQueueStore& queue_;
  Mailer& mailer_;
  const Clock& clock_;
  const MailWorkerOptions options_;
};

}  // namespace countersign
