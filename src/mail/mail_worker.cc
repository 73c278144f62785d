#include "mail/mail_worker.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/log.h"

namespace countersign {

int64_t MailRetryDelaySeconds(int failed_attempts, const MailWorkerOptions& options) {
  const int64_t cap = std::max<int64_t>(options.retry_max_seconds, 0);
  int64_t delay = std::clamp<int64_t>(options.retry_base_seconds, 0, cap);
  for (int i = 1; i < failed_attempts && delay < cap; ++i) {
    delay = delay > cap / 2 ? cap : delay * 2;
  }
  return delay;
}

MailWorker::MailWorker(MailQueueStore& queue, Mailer& mailer, const Clock& clock,
                       MailWorkerOptions options)
    : BackgroundTask({"mail", 1, options.poll_interval}),
      queue_(queue),
      mailer_(mailer),
      clock_(clock),
      options_(std::move(options)) {}

MailWorker::~MailWorker() { Stop(); }

int MailWorker::RunOnce() {
  StatusOr<std::vector<QueuedMail>> claimed =
      queue_.ClaimDue(clock_.NowSeconds(), options_.batch_size, options_.lease_seconds);
  if (!claimed.ok()) {
    log::Warn("mail", "cannot claim due mail", {{"error", claimed.status().ToString()}});
    return 0;
  }
  const bool grouped = mailer_.GroupsDurability();
  std::vector<const QueuedMail*> accepted;  // durable at the Flush below
  size_t tried = 0;
  while (tried < claimed->size()) {
    const QueuedMail& mail = (*claimed)[tried++];
    Status sent = GuardItem([&] { return mailer_.Send(mail.message, mail.id); });
    if (grouped && sent.ok()) {
      accepted.push_back(&mail);
    } else {
      Record(mail, sent);
    }
    if (StopRequested()) break;
  }
  if (!accepted.empty()) RecordAccepted(accepted);
  if (tried < claimed->size()) ReleaseUntried(*claimed, tried);
  return static_cast<int>(claimed->size());
}

void MailWorker::ReleaseUntried(const std::vector<QueuedMail>& claimed, size_t first) {
  std::vector<std::string> ids;
  for (size_t i = first; i < claimed.size(); ++i) ids.push_back(claimed[i].id);
  Status released = queue_.Release(ids);
  if (!released.ok()) {
    log::Warn("mail", "cannot release claimed mail; it is due again when its lease ends",
              {{"count", ids.size()}, {"error", released.ToString()}});
  }
}

void MailWorker::RecordAccepted(const std::vector<const QueuedMail*>& accepted) {
  const Status flushed = GuardItem([&] { return mailer_.Flush(); });
  if (!flushed.ok()) {
    for (const QueuedMail* mail : accepted) Record(*mail, flushed);
    return;
  }
  std::vector<std::string> ids;
  for (const QueuedMail* mail : accepted) ids.push_back(mail->id);
  StatusOr<int> marked = queue_.MarkAllSent(ids, clock_.NowSeconds());
  if (!marked.ok()) {
    log::Warn("mail", "cannot record mails as sent; they are due again when their lease ends",
              {{"count", ids.size()}, {"error", marked.status().ToString()}});
  } else if (*marked < static_cast<int>(ids.size())) {
    log::Warn("mail", "some sent mails were no longer pending (claimed again after the lease)",
              {{"count", ids.size() - static_cast<size_t>(*marked)}});
  }
}

void MailWorker::Record(const QueuedMail& mail, const Status& sent) {
  int64_t now = clock_.NowSeconds();
  Status recorded;
  if (sent.ok()) {
    recorded = queue_.MarkSent(mail.id, now);
  } else {
    int attempts = mail.attempts + 1;
    bool permanent = sent.code() == Code::kInvalidArgument;
    if (permanent || attempts >= options_.max_attempts) {
      log::Warn("mail", "giving up",
                {{"mail_id", mail.id}, {"attempt", attempts}, {"error", sent.ToString()}});
      recorded = queue_.MarkFailed(mail.id, now, sent.message());
    } else {
      int64_t retry_at = now + MailRetryDelaySeconds(attempts, options_);
      log::Warn("mail", "attempt failed",
                {{"mail_id", mail.id},
                 {"attempt", attempts},
                 {"retry_at", retry_at},
                 {"error", sent.ToString()}});
      recorded = queue_.MarkRetry(mail.id, retry_at, sent.message());
    }
  }
  if (!recorded.ok())
    log::Warn("mail", "cannot record the outcome",
              {{"mail_id", mail.id}, {"error", recorded.ToString()}});
}

}  // namespace countersign
