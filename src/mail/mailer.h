// Mailer: delivers one MIME message. Implementations: OutboxMailer (writes .eml files into a
// folder; the default, so no mail server is needed) and SmtpMailer (libcurl SMTP). Delivery is
// never on the request path: services enqueue mail in the MailQueueStore inside their own
// transaction and the MailWorker calls a Mailer. Implementations are thread-safe.
#pragma once

#include "core/status.h"
#include "model/mail_message.h"

namespace countersign {

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Sends `message` with the given Message-ID (without angle brackets). kUnavailable for a
  // temporary failure (retry later), kInvalidArgument for a permanent one (bad recipient).
  // When GroupsDurability() is true, an accepted message is durable only once a later Flush()
  // succeeded.
  virtual Status Send(const MailMessage& message, const std::string& message_id) = 0;
  // True for a mailer that makes the messages of a batch durable together in Flush() (the
  // outbox: one sync of its folder); false (the default) when each Send does, e.g. SMTP, where
  // the server's reply is the delivery.
  virtual bool GroupsDurability() const { return false; }
  // Makes the messages Send accepted since the last Flush durable. kUnavailable when that
  // failed: they count as not sent (a temporary failure). The default has nothing to do.
  virtual Status Flush() { return Status::Ok(); }
};

}  // namespace countersign
