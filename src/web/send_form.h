// The Send form's fields — title, subject, message, signers (name, email, optional order or
// template role), CCs, expiry, test mode — written once for the pages that show them: the Send
// page (send.html), the prepare page of a draft (draft.html) and the page that sends from a
// template (template_send.html). They include send_fields.html, filled by ShowSendFields. Not
// thread-safe (per request).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/draft_service.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"

namespace countersign::web {

// The form's values as typed (shown again as they were when refused).
struct SendFormValues {
  struct Signer {
    std::string name;
    std::string email;
    std::string role;  // a template draft's role (fixed: shown, not editable); "" otherwise
  };
  std::string title;
  std::string subject;
  std::string message;
  std::vector<Signer> signers;
  std::string cc_emails;         // as typed: separated by commas, spaces or lines
  std::vector<Signer> role_ccs;  // a template draft's CCs by role (name unused)
  std::string expires_on;        // "YYYY-MM-DD" or ""
  bool ordered = false;
  bool test_mode = true;
};

// The values of the posted form.
SendFormValues PostedSendForm(const PageContext& page);
// The values a draft holds.
SendFormValues SendFormOfDraft(const DraftView& view);
// The form's values as a DraftEdit: blank signer rows dropped, the order when `ordered`, CCs
// split, the expiry date as the end of that day (UTC). kInvalidArgument for a date that is
// not one, path "expires_at".
StatusOr<DraftEdit> EditOf(const SendFormValues& values);

// Fills send_fields.html (included as SEND_FIELDS in `data`) with `values`, with at least
// `min_signer_rows` signer rows (blank ones added).
void ShowSendFields(ctemplate::TemplateDictionary& data, const SendFormValues& values,
                    size_t min_signer_rows);

}  // namespace countersign::web
