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
  virtual Status Send(const MailMessage& message, const std::string& message_id) = 0;
};

}  // namespace countersign
