#include "service/sign_up_notice.h"

#include "core/crypto.h"
#include "service/new_mail.h"
#include "service/signer_mail.h"
#include "service/validation.h"

namespace countersign {

SignUpNotice::SignUpNotice(MailQueueStore& mail, RateLimitStore& limits, const Clock& clock,
                           const PublicUrl& public_url, Options options)
    : mail_(mail), limits_(limits), clock_(clock), public_url_(public_url), options_(options) {
  if (options_.interval_seconds < 1) options_.interval_seconds = 1;
}

Status SignUpNotice::Send(const Account& owner) {
  const int64_t now = clock_.NowSeconds();
  const int64_t window_start = now - now % options_.interval_seconds;
  const std::string bucket = "signup-notice:" + Sha256Hex(ToLower(Trim(owner.email)));
  CS_ASSIGN_OR_RETURN(RateTake take, limits_.Take(bucket, window_start, /*limit=*/1, /*want=*/1));
  if (take.granted == 0) return Status::Ok();  // already told in this interval
  return mail_.Enqueue(SignUpNoticeMail(owner.email, public_url_.Get() + "/login", now));
}

QueuedMail SignUpNoticeMail(const std::string& email, const std::string& login_url, int64_t now) {
  QueuedMail mail = NewMail(email, "", now);
  MailMessage& m = mail.message;
  m.subject = "Someone tried to sign up for Countersign with your email address";
  const std::string intro = "Someone tried to sign up for Countersign with your email address " +
                            email + ", which already has an account. Nothing was changed.";
  const std::string if_you = "If it was you, you do not need a new account: log in instead.";
  const std::string if_not = "If it was not you, you can ignore this email.";
  m.text_body = "Hello,\n\n" + intro + "\n\n" + if_you + "\n" + login_url + "\n\n" + if_not + "\n";
  m.html_body = "<p>Hello,</p><p>" + HtmlEscape(intro) + "</p><p>" + HtmlEscape(if_you) +
                "</p><p><a href=\"" + HtmlEscape(login_url) + "\">Log in</a></p><p>" +
                HtmlEscape(if_not) + "</p>";
  return mail;
}

}  // namespace countersign
