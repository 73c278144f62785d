#include "service/request_expiry.h"

#include "core/background_worker.h"
#include "core/log.h"
#include "core/utc_time.h"
#include "service/new_mail.h"
#include "service/request_events.h"
#include "service/signer_mail.h"

namespace countersign {

namespace {

// "2024-05-01 14:00 UTC".
std::string UtcTime(int64_t t) { return FormatUtc(t, "%Y-%m-%d %H:%M UTC", std::to_string(t)); }

std::string Who(const Signature& s) {
  return s.name.empty() ? s.email : s.name + " <" + s.email + ">";
}

}  // namespace

bool HasExpired(const SignatureRequest& request, int64_t now) {
  return !request.is_complete &&
         (request.expired_at != 0 || (request.expires_at != 0 && now >= request.expires_at));
}

QueuedMail ExpiredMail(const SignatureRequest& r, int64_t now) {
  std::string signed_text, unsigned_text, signed_html, unsigned_html;
  for (const auto& s : r.signatures) {
    const bool done = s.status_code == "signed";
    (done ? signed_text : unsigned_text) += "  - " + Who(s) + "\n";
    (done ? signed_html : unsigned_html) += "<li>" + HtmlEscape(Who(s)) + "</li>";
  }
  const std::string title = r.title.empty() ? "Signature request" : r.title;
  QueuedMail m = NewMail(r.requester_email, "", now);
  m.message.subject = "Expired: " + title;
  m.message.text_body = "Your signature request \"" + title + "\" expired on " +
                        UtcTime(r.expires_at) +
                        " before everyone signed. It can no longer be signed; send it again "
                        "if you still need it.\n\nNot signed:\n" +
                        unsigned_text + (signed_text.empty() ? "" : "\nSigned:\n" + signed_text);
  m.message.html_body = "<p>Your signature request <strong>" + HtmlEscape(title) +
                        "</strong> expired on " + UtcTime(r.expires_at) +
                        " before everyone signed. It can no longer be signed; send it again if "
                        "you still need it.</p><p>Not signed:</p><ul>" +
                        unsigned_html + "</ul>" +
                        (signed_html.empty() ? "" : "<p>Signed:</p><ul>" + signed_html + "</ul>");
  return m;
}

RequestExpiry::RequestExpiry(SignatureRequestStore& store, const Clock& clock)
    : store_(store), clock_(clock) {}

StatusOr<bool> RequestExpiry::ExpireOne(const std::string& id) {
  const int64_t now = clock_.NowSeconds();
  CS_ASSIGN_OR_RETURN(SignatureRequest r, store_.Get(id));
  // No one can sign once expires_at has passed (the store's Sign checks it), so who signed
  // cannot change between this read and Expire (bar clocks of instances that disagree).
  for (auto& s : r.signatures) {
    if (s.status_code == "awaiting_signature") s.status_code = "expired";
  }
  AuditEntry audit{now, "expired", r.requester_email, "", ""};
  return store_.Expire(id, now, audit, {RequestEvent(r, "signature_request_expired", now)},
                       {ExpiredMail(r, now)});
}

StatusOr<int> RequestExpiry::ExpireDue(int limit) {
  CS_ASSIGN_OR_RETURN(std::vector<std::string> due, store_.FindExpired(clock_.NowSeconds(), limit));
  int expired = 0;
  for (const auto& id : due) {
    bool won = false;
    Status st = GuardItem([&]() -> Status {
      CS_ASSIGN_OR_RETURN(won, ExpireOne(id));
      return Status::Ok();
    });
    if (!st.ok()) log::Warn("expire", id + ": " + st.ToString());
    if (won) ++expired;
  }
  return expired;
}

}  // namespace countersign
