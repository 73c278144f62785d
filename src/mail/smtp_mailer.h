// SmtpMailer: a Mailer that hands each message to an SMTP server (a relay or the provider's
// submission port) over libcurl, with optional STARTTLS or implicit TLS and AUTH. One
// connection per message; delivery runs on the MailWorker's thread, never on a request.
// Thread-safe (each Send uses its own curl handle).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "mail/mailer.h"

namespace countersign {

enum class SmtpSecurity {
  kNone,      // plain SMTP (a local relay)
  kStartTls,  // SMTP upgraded with STARTTLS, required (typically port 587)
  kTls,       // implicit TLS, "smtps" (typically port 465)
};

// "none", "starttls" or "tls"; kInvalidArgument otherwise.
StatusOr<SmtpSecurity> ParseSmtpSecurity(std::string_view text);

struct SmtpOptions {
  std::string host = "localhost";
  int port = 587;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from_address;          // envelope sender and From header
  std::string from_name;             // may be empty
  std::chrono::seconds timeout{30};  // for connecting, and for the whole exchange
};

class SmtpMailer : public Mailer {
 public:
  // `clock` (for the Date header) must outlive this object.
  SmtpMailer(SmtpOptions options, const Clock& clock);

  // Ok once the server accepted the message. kInvalidArgument when the recipient address is not
  // plain or the server refuses the recipient or the message for good (5xx reply to RCPT or
  // after DATA); kUnavailable for everything worth retrying: connection, TLS or login failures,
  // timeouts, 4xx replies, a refused sender (a configuration problem).
  Status Send(const MailMessage& message, const std::string& message_id) override;

 private:
  const SmtpOptions options_;
  const Clock& clock_;
};

}  // namespace countersign
