// MailQueueStore: the durable mail queue. Services add mail in the same transaction as the
// change that causes it (through their own store's methods, which insert into the same table);
// the MailWorker claims due mail, sends it and records the outcome. Claiming is atomic in the
// database, so with several instances each mail is sent by one of them. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/mail_message.h"

namespace countersign {

struct QueuedMail {
  std::string id;  // 32 hex; also the Message-ID's local part
  MailMessage message;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t created_at = 0;
};

class MailQueueStore {
 public:
  virtual ~MailQueueStore() = default;
  // Adds one mail, due at `mail.next_attempt_at`.
  virtual Status Enqueue(const QueuedMail& mail) = 0;
  // Atomically claims up to `limit` mails due at `now` that nobody holds, for `lease_seconds`
  // (another instance may claim them again after that), and returns them.
  virtual StatusOr<std::vector<QueuedMail>> ClaimDue(int64_t now, int limit,
                                                     int64_t lease_seconds) = 0;
  virtual Status MarkSent(const std::string& id, int64_t now) = 0;
  // MarkSent for several mails in one transaction (one commit for a worker's whole pass). Ids
  // that are unknown or no longer pending (another claim took them once this one's lease had
  // ended) are skipped; returns how many mails it recorded as sent.
  virtual StatusOr<int> MarkAllSent(const std::vector<std::string>& ids, int64_t now) = 0;
  // Records a failed attempt; the mail is due again at `retry_at` (attempts + 1).
  virtual Status MarkRetry(const std::string& id, int64_t retry_at, const std::string& error) = 0;
  // Gives up on the mail (permanent failure or too many attempts).
  virtual Status MarkFailed(const std::string& id, int64_t now, const std::string& error) = 0;
  // Ends the lease of claimed mail that was not tried (the worker is stopping), so any instance
  // may claim it at once instead of after the lease; attempts are unchanged. Ids that are no
  // longer pending are skipped.
  virtual Status Release(const std::vector<std::string>& ids) = 0;
};

}  // namespace countersign
