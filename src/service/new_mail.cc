#include "service/new_mail.h"

#include "core/ids.h"

namespace countersign {

QueuedMail NewMail(const std::string& to_email, const std::string& to_name, int64_t now) {
  QueuedMail mail;
  mail.id = NewInternalId();
  mail.created_at = now;
  mail.next_attempt_at = now;
  mail.message.to_email = to_email;
  mail.message.to_name = to_name;
  return mail;
}

}  // namespace countersign
