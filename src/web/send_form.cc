#include "web/send_form.h"

#include <ctime>

#include "service/validation.h"
#include "web/text_lists.h"

namespace countersign::web {
namespace {

// "YYYY-MM-DD" (an <input type=date>) as the end of that day in UTC; nullopt for "".
StatusOr<std::optional<int64_t>> EndOfDay(const std::string& date) {
  if (date.empty()) return std::optional<int64_t>();
  std::tm tm{};
  if (date.size() != 10 || strptime(date.c_str(), "%Y-%m-%d", &tm) == nullptr) {
    return InvalidArgument("Choose a valid expiry date.", "expires_at");
  }
  return std::optional<int64_t>(static_cast<int64_t>(timegm(&tm)) + 24 * 3600 - 1);
}

std::string DateOf(const std::optional<int64_t>& at) {
  if (!at) return "";
  const std::time_t t = static_cast<std::time_t>(*at);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

}  // namespace

SendFormValues PostedSendForm(const PageContext& page) {
  SendFormValues v;
  v.title = page.Form("title");
  v.subject = page.Form("subject");
  v.message = page.Form("message");
  const std::vector<std::string> names = page.FormAll("signer_name");
  const std::vector<std::string> emails = page.FormAll("signer_email");
  const std::vector<std::string> roles = page.FormAll("signer_role");
  for (size_t i = 0; i < std::max(names.size(), emails.size()); ++i) {
    v.signers.push_back({i < names.size() ? names[i] : "", i < emails.size() ? emails[i] : "",
                         i < roles.size() ? roles[i] : ""});
  }
  const std::vector<std::string> cc_roles = page.FormAll("cc_role");
  const std::vector<std::string> cc_emails = page.FormAll("cc_role_email");
  for (size_t i = 0; i < cc_roles.size(); ++i) {
    v.role_ccs.push_back({"", i < cc_emails.size() ? cc_emails[i] : "", cc_roles[i]});
  }
  v.cc_emails = page.Form("cc_emails");
  v.expires_on = page.Form("expires_on");
  v.ordered = page.Form("ordered") == "1";
  v.test_mode = page.Form("test_mode") == "1";
  return v;
}

SendFormValues SendFormOfDraft(const DraftView& view) {
  SendFormValues v;
  const SendInput& send = view.template_send ? view.template_send->send : view.send;
  v.title = send.title.value_or("");
  v.subject = send.subject;
  v.message = send.message;
  v.expires_on = DateOf(send.expires_at);
  v.test_mode = view.draft.test_mode || send.test_mode;
  if (view.template_send) {
    for (const TemplateSendInput::RoleSigner& s : view.template_send->signers) {
      v.signers.push_back({s.signer.name, s.signer.email, s.role});
    }
    for (const auto& [role, email] : view.template_send->ccs)
      v.role_ccs.push_back({"", email, role});
    return v;
  }
  for (const SignerInput& s : send.signers) {
    v.signers.push_back({s.name, s.email, ""});
    v.ordered = v.ordered || s.order.has_value();
  }
  for (const std::string& cc : send.cc_emails)
    v.cc_emails += (v.cc_emails.empty() ? "" : ", ") + cc;
  return v;
}

StatusOr<DraftEdit> EditOf(const SendFormValues& v) {
  DraftEdit edit;
  edit.title = Trim(v.title);
  edit.subject = Trim(v.subject);
  edit.message = v.message;
  edit.test_mode = v.test_mode;
  for (const SendFormValues::Signer& row : v.signers) {
    SignerInput signer;
    signer.name = Trim(row.name);
    signer.email = Trim(row.email);
    signer.role = row.role;
    // A blank row is dropped; a template role's row is kept (the send then names the role).
    if (signer.name.empty() && signer.email.empty() && signer.role.empty()) continue;
    if (v.ordered) signer.order = static_cast<int64_t>(edit.signers.size());
    edit.signers.push_back(std::move(signer));
  }
  edit.cc_emails = SplitTrimmed(v.cc_emails, ",; \n\t");
  for (const SendFormValues::Signer& cc : v.role_ccs) {
    edit.role_ccs.emplace_back(cc.role, Trim(cc.email));
  }
  CS_ASSIGN_OR_RETURN(edit.expires_at, EndOfDay(v.expires_on));
  return edit;
}

void ShowSendFields(ctemplate::TemplateDictionary& data, const SendFormValues& v,
                    size_t min_signer_rows) {
  ctemplate::TemplateDictionary* fields = data.AddIncludeDictionary("SEND_FIELDS");
  fields->SetFilename("send_fields.html");
  fields->SetValue("TITLE", v.title);
  fields->SetValue("SUBJECT", v.subject);
  fields->SetValue("MESSAGE", v.message);
  fields->SetValue("CC_EMAILS", v.cc_emails);
  fields->SetValue("EXPIRES_ON", v.expires_on);
  if (v.test_mode) fields->ShowSection("TEST_MODE_CHECKED");
  if (v.ordered) fields->ShowSection("ORDERED_CHECKED");
  const bool by_role = !v.signers.empty() && !v.signers.front().role.empty();
  const size_t rows = by_role ? v.signers.size() : std::max(min_signer_rows, v.signers.size());
  for (size_t i = 0; i < rows; ++i) {
    ctemplate::TemplateDictionary* row = fields->AddSectionDictionary("SIGNER");
    row->SetIntValue("N", static_cast<long>(i + 1));
    const SendFormValues::Signer blank;
    const SendFormValues::Signer& s = i < v.signers.size() ? v.signers[i] : blank;
    row->SetValue("NAME", s.name);
    row->SetValue("EMAIL", s.email);
    if (!s.role.empty()) {
      row->AddSectionDictionary("ROLE")->SetValue("ROLE", s.role);
    } else {
      row->AddSectionDictionary("NUMBERED")->SetIntValue("N", static_cast<long>(i + 1));
    }
  }
  if (by_role) {
    for (size_t i = 0; i < v.role_ccs.size(); ++i) {
      ctemplate::TemplateDictionary* cc = fields->AddSectionDictionary("ROLE_CC");
      cc->SetIntValue("N", static_cast<long>(i + 1));
      cc->SetValue("ROLE", v.role_ccs[i].role);
      cc->SetValue("EMAIL", v.role_ccs[i].email);
    }
  } else {
    fields->ShowSection("FREE_SIGNERS");
  }
}

}  // namespace countersign::web
