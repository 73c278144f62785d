#include "service/confirmation_mail.h"

#include "service/new_mail.h"
#include "service/signer_mail.h"

namespace countersign {

QueuedMail ConfirmationMail(const std::string& email, const std::string& link,
                            const std::string& app_name, ConfirmationMailKind kind, int64_t now,
                            int64_t expires_at) {
  QueuedMail mail = NewMail(email, "", now);
  MailMessage& m = mail.message;
  const bool by_app = !app_name.empty();
  const int64_t days = (expires_at - now + 86399) / 86400;
  const std::string validity = days > 1 ? std::to_string(days) + " days" : std::string("one day");

  std::string intro;
  switch (kind) {
    case ConfirmationMailKind::kAppCreated:
      m.subject = app_name + " created a Countersign account for you: confirm your email";
      intro = app_name + " has created a Countersign account for " + email +
              ". Confirm your email address and choose a password to start using it.";
      break;
    case ConfirmationMailKind::kSignUp:
      m.subject = "Confirm your email address for Countersign";
      intro = "Welcome to Countersign. Confirm your email address " + email +
              " to send signature requests and authorize apps.";
      break;
    case ConfirmationMailKind::kResend:
      m.subject = "Your new Countersign confirmation link";
      intro = "Here is a new link to confirm your email address " + email + ".";
      break;
  }
  std::string after =
      by_app ? "After confirming, you decide whether " + app_name + " may act on your behalf." : "";

  std::string text = "Hello,\n\n" + intro + "\n\n" + "Confirm your email address here:\n" + link +
                     "\n\n" + "The link works once and expires in " + validity + ".\n";
  if (!after.empty()) text += after + "\n";
  text += "\nIf you did not expect this email, you can ignore it.\n";
  m.text_body = text;

  std::string html = "<p>Hello,</p><p>" + HtmlEscape(intro) + "</p><p><a href=\"" +
                     HtmlEscape(link) + "\">Confirm your email address</a></p><p>" +
                     "The link works once and expires in " + HtmlEscape(validity) + ".</p>";
  if (!after.empty()) html += "<p>" + HtmlEscape(after) + "</p>";
  html += "<p>If you did not expect this email, you can ignore it.</p>";
  m.html_body = html;
  return mail;
}

}  // namespace countersign
