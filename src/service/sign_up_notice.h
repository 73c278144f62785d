// SignUpNotice: the email telling the owner of an address that someone tried to sign up with
// it. The sign-up page answers every well-formed sign-up alike ("we sent a link to …"), so that
// it does not reveal which addresses have an account; only the mailbox learns that this one
// does, and is told to log in instead. Nothing about the account changes.
//
// At most one notice per address per `interval_seconds` (a fixed window counted in the
// database: RateLimitStore bucket "signup-notice:<SHA-256 of the address>", so the limit holds
// across instances), so the sign-up page cannot be used to flood someone's mailbox.
// Thread-safe (stateless apart from its borrowed dependencies).
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/public_url.h"
#include "core/status.h"
#include "model/records.h"
#include "store/mail_queue_store.h"
#include "store/rate_limit_store.h"

namespace countersign {

class SignUpNotice {
 public:
  struct Options {
    int64_t interval_seconds = 3600;  // at least 1
  };

  // Every dependency must outlive this object. `public_url` is read when a mail is built.
  SignUpNotice(MailQueueStore& mail, RateLimitStore& limits, const Clock& clock,
               const PublicUrl& public_url, Options options);

  // Queues the notice to `owner.email`, unless one was already queued for that address in the
  // current interval (then does nothing). Errors: only the database's.
  Status Send(const Account& owner);

 private:
  MailQueueStore& mail_;
  RateLimitStore& limits_;
  const Clock& clock_;
  const PublicUrl& public_url_;
  Options options_;
};

// The notice itself (text and HTML parts, HTML escaped): someone tried to sign up as `email`,
// which already has an account; if it was them, log in at `login_url`. Pure.
QueuedMail SignUpNoticeMail(const std::string& email, const std::string& login_url, int64_t now);

}  // namespace countersign
