// TemplateService::Send: a signature request from one or more templates. The templates are
// merged in order into an ordinary SendInput — their documents first (read from the BlobStore
// and sent like uploads), then the sender's own files; signer roles and CC roles by name
// (case-sensitive; a role in two templates is one signer); their form fields moved to where
// their documents and roles land — and SignatureRequestService::Send does the rest, so the
// request is one sent with files and owes nothing to the templates afterwards.
#include <algorithm>
#include <deque>

#include "core/json_dump.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/send_validation.h"
#include "service/template_rules.h"
#include "service/template_service.h"
#include "service/validation.h"

namespace countersign {

namespace {

std::string At(const char* field, size_t i, const char* member = nullptr) {
  std::string path = std::string(field) + "[" + std::to_string(i) + "]";
  if (member) path += std::string(".") + member;
  return path;
}

// The index of `name` in `names`, appending it when absent.
size_t IndexOrAppend(std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<size_t>(it - names.begin());
  names.push_back(name);
  return names.size() - 1;
}

// The roles of every template, merged by name, and where each template's roles land.
struct MergedRoles {
  std::vector<std::string> signers;
  std::vector<std::optional<int>> orders;  // of each signer role, from its first template
  std::vector<std::string> ccs;
  std::vector<std::vector<size_t>> signer_of_role;  // [template][its role] -> merged index
};

MergedRoles MergeRoles(const std::vector<Template>& templates) {
  MergedRoles m;
  for (const Template& t : templates) {
    m.signer_of_role.emplace_back();
    for (const TemplateRole& role : t.signer_roles) {
      const size_t at = IndexOrAppend(m.signers, role.name);
      if (at == m.orders.size()) m.orders.push_back(role.order);
      m.signer_of_role.back().push_back(at);
    }
    for (const std::string& cc : t.cc_roles) IndexOrAppend(m.ccs, cc);
  }
  return m;
}

// Whether every role must have its signer or CC (a send) or may wait for one (a draft).
enum class Roles { kAll, kSome };

// One signer per role, in role order (a role without one is left out with Roles::kSome).
// Signers are checked first in the order sent, so that error paths (signers[i].name) name the
// signer as sent, not its role's place. Orders are the roles' when `ordered`.
StatusOr<std::vector<SignerInput>> SignersByRole(const MergedRoles& m,
                                                 std::vector<TemplateSendInput::RoleSigner> in,
                                                 bool ordered, Roles roles) {
  {
    std::vector<SignerInput> as_sent;
    for (const auto& s : in) as_sent.push_back(s.signer);
    CS_RETURN_IF_ERROR(ValidateSigners(as_sent));
  }
  std::vector<std::optional<SignerInput>> signer_for(m.signers.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& role = in[i].role;
    if (role.empty()) {
      return InvalidArgument("This value should not be blank", At("signers", i, "role"));
    }
    auto it = std::find(m.signers.begin(), m.signers.end(), role);
    if (it == m.signers.end()) {
      return InvalidArgument("No template has the signer role \"" + role + "\"",
                             At("signers", i, "role"));
    }
    auto& slot = signer_for[it - m.signers.begin()];
    if (slot) {
      return InvalidArgument("The role \"" + role + "\" has more than one signer",
                             At("signers", i, "role"));
    }
    slot = std::move(in[i].signer);
  }
  std::vector<SignerInput> out;
  for (size_t r = 0; r < m.signers.size(); ++r) {
    if (!signer_for[r] && roles == Roles::kSome) continue;
    if (!signer_for[r]) {
      return InvalidArgument("A signer is required for the role \"" + m.signers[r] + "\"",
                             "signers");
    }
    SignerInput signer = std::move(*signer_for[r]);
    signer.role = m.signers[r];
    signer.order = ordered && m.orders[r] ? std::optional<int64_t>(*m.orders[r]) : std::nullopt;
    out.push_back(std::move(signer));
  }
  return out;
}

// One address per CC role, in CC role order (a role without one is left out with
// Roles::kSome), each checked where it was given (ccs[i].email_address).
StatusOr<std::vector<std::string>> CcsByRole(
    const MergedRoles& m, const std::vector<std::pair<std::string, std::string>>& in, Roles roles) {
  std::vector<std::optional<std::string>> cc_for(m.ccs.size());
  for (size_t i = 0; i < in.size(); ++i) {
    auto it = std::find(m.ccs.begin(), m.ccs.end(), in[i].first);
    if (it == m.ccs.end()) {
      return InvalidArgument("No template has the CC role \"" + in[i].first + "\"",
                             At("ccs", i, "role"));
    }
    const std::string email = ToLower(Trim(in[i].second));
    if (email.empty() && roles == Roles::kSome) continue;  // a draft's CC still to be named
    if (!IsValidEmail(email)) {
      return InvalidArgument("Invalid email address", At("ccs", i, "email_address"));
    }
    cc_for[it - m.ccs.begin()] = email;
  }
  std::vector<std::string> out;
  for (size_t c = 0; c < m.ccs.size(); ++c) {
    if (!cc_for[c] && roles == Roles::kSome) continue;
    if (!cc_for[c]) {
      return InvalidArgument("An email address is required for the CC role \"" + m.ccs[c] + "\"",
                             "ccs");
    }
    out.push_back(*cc_for[c]);
  }
  return out;
}

}  // namespace

StatusOr<std::vector<Template>> TemplateService::VisibleAll(const RequestViewer& viewer,
                                                            const std::vector<std::string>& ids) {
  if (ids.empty()) return InvalidArgument("This value should not be blank", "template_ids");
  std::vector<Template> templates;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto t = Visible(viewer, ids[i]);
    if (!t.ok()) {
      if (t.status().code() != Code::kNotFound) return t.status();
      return Status(Code::kNotFound, "Template not found: " + ids[i], At("template_ids", i));
    }
    templates.push_back(std::move(t).value());
  }
  return templates;
}

Status TemplateService::CheckDraftRoles(const RequestViewer& viewer, const TemplateSendInput& in) {
  CS_ASSIGN_OR_RETURN(std::vector<Template> templates, VisibleAll(viewer, in.template_ids));
  const MergedRoles roles = MergeRoles(templates);
  CS_RETURN_IF_ERROR(SignersByRole(roles, in.signers, false, Roles::kSome).status());
  return CcsByRole(roles, in.ccs, Roles::kSome).status();
}

StatusOr<SignatureRequest> TemplateService::Send(const RequestViewer& viewer,
                                                 TemplateSendInput in) {
  CS_ASSIGN_OR_RETURN(std::vector<Template> templates, VisibleAll(viewer, in.template_ids));
  SendInput send = std::move(in.send);
  if (!send.file_urls.empty()) {
    return InvalidArgument("file_urls cannot be combined with template_ids; upload files",
                           "file_urls");
  }

  const MergedRoles roles = MergeRoles(templates);
  const bool ordered = templates.size() == 1 && !roles.orders.empty() && roles.orders.front();
  CS_ASSIGN_OR_RETURN(send.signers,
                      SignersByRole(roles, std::move(in.signers), ordered, Roles::kAll));
  CS_ASSIGN_OR_RETURN(send.cc_emails, CcsByRole(roles, in.ccs, Roles::kAll));

  // Documents, fields, groups and rules, template by template, then the sender's own files.
  std::deque<std::string> bytes;  // the documents' bytes, borrowed by send.files
  std::vector<UploadedFile> files;
  nlohmann::json fields = nlohmann::json::array();
  for (size_t k = 0; k < templates.size(); ++k) {
    const Template& t = templates[k];
    CS_ASSIGN_OR_RETURN(nlohmann::json stored, StoredFieldsJson(t));
    for (nlohmann::json& f :
         RetargetTemplateFields(stored, files.size(), roles.signer_of_role[k])) {
      fields.push_back(std::move(f));
    }
    for (const RequestFile& f : t.files) {
      CS_ASSIGN_OR_RETURN(std::string data, blobs_.Read(f.sha256));
      bytes.push_back(std::move(data));
      files.push_back({f.name, bytes.back()});
    }
    CS_ASSIGN_OR_RETURN(std::vector<FormFieldGroup> groups, TemplateGroups(t));
    send.form_field_groups.insert(send.form_field_groups.end(), groups.begin(), groups.end());
    CS_ASSIGN_OR_RETURN(std::vector<FormFieldRule> rules, TemplateRules(t));
    send.form_field_rules.insert(send.form_field_rules.end(), rules.begin(), rules.end());
  }
  files.insert(files.end(), send.files.begin(), send.files.end());
  send.files = std::move(files);
  CS_ASSIGN_OR_RETURN(send.form_fields, ParseFormFields(fields));
  send.form_fields_json = send.form_fields.empty() ? "" : DumpJson(fields);

  const Template& first = templates.front();
  if (!send.title || send.title->empty()) send.title = first.title;
  if (send.subject.empty()) send.subject = first.subject;
  if (send.message.empty()) send.message = first.message;
  if (send.field_options_json.empty()) send.field_options_json = first.field_options_json;
  send.allow_reassign = send.allow_reassign || first.allow_reassign;
  send.template_ids = std::move(in.template_ids);
  return requests_.Send(viewer, std::move(send));
}

}  // namespace countersign
