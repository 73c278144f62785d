#include "service/signer_mail.h"

// clang-format off
#include <cstring>
#include <ctemplate/template_emitter.h>
#include <ctemplate/template_modifiers.h>
// clang-format on

#include <algorithm>
#include <limits>

#include "core/crypto.h"
#include "core/ids.h"
#include "service/new_mail.h"

namespace countersign {

int64_t EffectiveOrder(const SignatureRequest& request, const Signature& signer) {
  bool any_order = std::any_of(request.signatures.begin(), request.signatures.end(),
                               [](const Signature& s) { return s.order.has_value(); });
  if (!any_order) return 0;
  return signer.order ? *signer.order : signer.position;
}

std::vector<size_t> SignersWhoseTurnItIs(const SignatureRequest& request) {
  int64_t lowest = std::numeric_limits<int64_t>::max();
  for (const auto& s : request.signatures) {
    if (s.status_code == "awaiting_signature")
      lowest = std::min(lowest, EffectiveOrder(request, s));
  }
  std::vector<size_t> out;
  for (size_t i = 0; i < request.signatures.size(); ++i) {
    const auto& s = request.signatures[i];
    if (s.status_code == "awaiting_signature" && EffectiveOrder(request, s) == lowest) {
      out.push_back(i);
    }
  }
  return out;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  ctemplate::StringEmitter emitter(&out);
  ctemplate::html_escape.Modify(text.data(), text.size(), nullptr, &emitter, "");
  return out;
}

QueuedMail SignerMail(const SignatureRequest& request, Signature& signer,
                      const std::string& base_url, int64_t now, SignerMailKind kind) {
  const std::string secret = NewSecret();
  signer.access_hash = Sha256Hex(secret);
  const std::string link = base_url + "/sign/" + signer.signature_id + "?t=" + secret;
  const std::string& from = request.requester_email;
  const bool reminder = kind == SignerMailKind::kReminder;

  QueuedMail mail = NewMail(signer.email, signer.name, now);
  MailMessage& m = mail.message;
  std::string subject = request.subject.empty() ? request.title : request.subject;
  m.subject = (reminder ? "Reminder: " : "") + subject + " - signature requested by " + from;
  if (request.test_mode) m.subject = "[TEST MODE] " + m.subject;

  std::string text =
      "Hello " + signer.name + ",\n\n" + from +
      (reminder ? " is still waiting for your signature on \"" : " has asked you to sign \"") +
      request.title + "\".\n\n";
  if (!request.message.empty()) text += request.message + "\n\n";
  text += "Review and sign the document here:\n" + link + "\n\n";
  if (request.test_mode) text += "This is a test request: it is not legally binding.\n\n";
  text += "This link is personal: do not forward this email.\n";
  m.text_body = text;

  std::string html = "<p>Hello " + HtmlEscape(signer.name) + ",</p><p>" + HtmlEscape(from) +
                     (reminder ? " is still waiting for your signature on <strong>"
                               : " has asked you to sign <strong>") +
                     HtmlEscape(request.title) + "</strong>.</p>";
  if (!request.message.empty()) html += "<p>" + HtmlEscape(request.message) + "</p>";
  html += "<p><a href=\"" + HtmlEscape(link) + "\">Review and sign</a></p>";
  if (request.test_mode) html += "<p>This is a test request: it is not legally binding.</p>";
  html += "<p>This link is personal: do not forward this email.</p>";
  m.html_body = html;
  return mail;
}

}  // namespace countersign
