// MailMessage: one email to send, as the services compose it. A value type.
#pragma once

#include <string>

namespace countersign {

struct MailMessage {
  std::string to_email;
  std::string to_name;  // may be empty
  std::string subject;
  std::string text_body;  // plain-text part
  std::string html_body;  // HTML part (already escaped by whoever rendered it)
};

}  // namespace countersign
