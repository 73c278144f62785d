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

}  // namespace

StatusOr<SignatureRequest> TemplateService::Send(const RequestViewer& viewer,
                                                 TemplateSendInput in) {
  if (in.template_ids.empty()) {
    return InvalidArgument("This value should not be blank", "template_ids");
  }
  std::vector<Template> templates;
  for (size_t i = 0; i < in.template_ids.size(); ++i) {
    auto t = Visible(viewer, in.template_ids[i]);
    if (!t.ok()) {
      if (t.status().code() != Code::kNotFound) return t.status();
      return Status(Code::kNotFound, "Template not found: " + in.template_ids[i],
                    At("template_ids", i));
    }
    templates.push_back(std::move(t).value());
  }
  SendInput send = std::move(in.send);
  if (!send.file_urls.empty()) {
    return InvalidArgument("file_urls cannot be combined with template_ids; upload files",
                           "file_urls");
  }

  // Roles of every template, merged by name, and where each template's roles land.
  std::vector<std::string> roles;
  std::vector<std::optional<int>> role_orders;
  std::vector<std::string> cc_roles;
  std::vector<std::vector<size_t>> signer_of_role(templates.size());
  for (size_t k = 0; k < templates.size(); ++k) {
    for (const TemplateRole& role : templates[k].signer_roles) {
      const size_t at = IndexOrAppend(roles, role.name);
      if (at == role_orders.size()) role_orders.push_back(role.order);
      signer_of_role[k].push_back(at);
    }
    for (const std::string& cc : templates[k].cc_roles) IndexOrAppend(cc_roles, cc);
  }

  // Signers by role: every role gets exactly one. Checked first in the order sent, so that
  // error paths (signers[i].name) name the signer as sent, not its role's place.
  {
    std::vector<SignerInput> as_sent;
    for (const auto& s : in.signers) as_sent.push_back(s.signer);
    CS_RETURN_IF_ERROR(ValidateSigners(as_sent));
  }
  std::vector<std::optional<SignerInput>> signer_for(roles.size());
  for (size_t i = 0; i < in.signers.size(); ++i) {
    const std::string& role = in.signers[i].role;
    if (role.empty()) {
      return InvalidArgument("This value should not be blank", At("signers", i, "role"));
    }
    auto it = std::find(roles.begin(), roles.end(), role);
    if (it == roles.end()) {
      return InvalidArgument("No template has the signer role \"" + role + "\"",
                             At("signers", i, "role"));
    }
    auto& slot = signer_for[it - roles.begin()];
    if (slot) {
      return InvalidArgument("The role \"" + role + "\" has more than one signer",
                             At("signers", i, "role"));
    }
    slot = std::move(in.signers[i].signer);
  }
  const bool ordered = templates.size() == 1 && !role_orders.empty() && role_orders.front();
  for (size_t r = 0; r < roles.size(); ++r) {
    if (!signer_for[r]) {
      return InvalidArgument("A signer is required for the role \"" + roles[r] + "\"", "signers");
    }
    SignerInput signer = std::move(*signer_for[r]);
    signer.role = roles[r];
    signer.order =
        ordered && role_orders[r] ? std::optional<int64_t>(*role_orders[r]) : std::nullopt;
    send.signers.push_back(std::move(signer));
  }

  // CCs by role: every CC role gets an address.
  std::vector<std::optional<std::string>> cc_for(cc_roles.size());
  for (size_t i = 0; i < in.ccs.size(); ++i) {
    auto it = std::find(cc_roles.begin(), cc_roles.end(), in.ccs[i].first);
    if (it == cc_roles.end()) {
      return InvalidArgument("No template has the CC role \"" + in.ccs[i].first + "\"",
                             At("ccs", i, "role"));
    }
    cc_for[it - cc_roles.begin()] = in.ccs[i].second;
  }
  send.cc_emails.clear();
  for (size_t c = 0; c < cc_roles.size(); ++c) {
    if (!cc_for[c]) {
      return InvalidArgument("An email address is required for the CC role \"" + cc_roles[c] + "\"",
                             "ccs");
    }
    send.cc_emails.push_back(*cc_for[c]);
  }

  // Documents, fields, groups and rules, template by template, then the sender's own files.
  std::deque<std::string> bytes;  // the documents' bytes, borrowed by send.files
  std::vector<UploadedFile> files;
  nlohmann::json fields = nlohmann::json::array();
  for (size_t k = 0; k < templates.size(); ++k) {
    const Template& t = templates[k];
    CS_ASSIGN_OR_RETURN(nlohmann::json stored, StoredFieldsJson(t));
    for (nlohmann::json& f : RetargetTemplateFields(stored, files.size(), signer_of_role[k])) {
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
