#include "api/template_request_parser.h"

#include <algorithm>

#include "api/send_request_parser.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"

namespace countersign::api {

using nlohmann::json;

namespace {

std::string At(const char* field, size_t i, const char* member = nullptr) {
  std::string path = std::string(field) + "[" + std::to_string(i) + "]";
  if (member) path += std::string(".") + member;
  return path;
}

StatusOr<std::string> Member(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  return AsString(*it, path);
}

// The uploads (files[], file[n], file) in index order, and file_urls. The parts borrow the
// request body.
Status ParseDocuments(RequestFields& f, std::vector<UploadedFile>& files,
                      std::vector<std::string>& file_urls) {
  for (const auto& part : f.files()) {
    const std::string base = part.name.substr(0, part.name.find('['));
    if (base == "files" || base == "file") files.push_back({part.filename.value_or(""), part.data});
  }
  f.Accept("files");
  f.Accept("file");
  CS_ASSIGN_OR_RETURN(auto urls, f.StringArray("file_urls"));
  if (urls) file_urls = *urls;
  return Status::Ok();
}

StatusOr<std::vector<TemplateRole>> ParseRoles(const json& raw) {
  CS_ASSIGN_OR_RETURN(auto items, AsObjectArray(raw, "signer_roles"));
  std::vector<TemplateRole> roles;
  for (size_t i = 0; i < items.size(); ++i) {
    TemplateRole role;
    CS_ASSIGN_OR_RETURN(role.name, Member(items[i], "name", At("signer_roles", i, "name")));
    auto order = items[i].find("order");
    if (order != items[i].end() && !order->is_null()) {
      CS_ASSIGN_OR_RETURN(std::string text, AsString(*order, At("signer_roles", i, "order")));
      try {
        size_t used = 0;
        role.order = std::stoi(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
      } catch (const std::exception&) {
        return InvalidArgument("order must be an integer", At("signer_roles", i, "order"));
      }
    }
    roles.push_back(std::move(role));
  }
  return roles;
}

StatusOr<std::vector<TemplateMergeField>> ParseMergeFields(const json& raw) {
  CS_ASSIGN_OR_RETURN(auto items, AsObjectArray(raw, "merge_fields"));
  std::vector<TemplateMergeField> fields;
  for (size_t i = 0; i < items.size(); ++i) {
    TemplateMergeField m;
    CS_ASSIGN_OR_RETURN(m.name, Member(items[i], "name", At("merge_fields", i, "name")));
    CS_ASSIGN_OR_RETURN(m.type, Member(items[i], "type", At("merge_fields", i, "type")));
    fields.push_back(std::move(m));
  }
  return fields;
}

StatusOr<std::string> ObjectText(RequestFields& f, const char* key) {
  CS_ASSIGN_OR_RETURN(auto obj, f.Object(key));
  return obj ? obj->dump() : std::string();
}

}  // namespace

StatusOr<TemplateInput> ParseTemplateCreate(RequestFields& f) {
  TemplateInput in;
  CS_RETURN_IF_ERROR(ParseDocuments(f, in.files, in.file_urls));
  if (const json* raw = f.Raw("signer_roles")) {
    CS_ASSIGN_OR_RETURN(in.signer_roles, ParseRoles(*raw));
  }
  CS_ASSIGN_OR_RETURN(auto cc_roles, f.StringArray("cc_roles"));
  if (cc_roles) in.cc_roles = *cc_roles;
  if (const json* raw = f.Raw("merge_fields")) {
    CS_ASSIGN_OR_RETURN(in.merge_fields, ParseMergeFields(*raw));
  }
  if (const json* raw = f.Raw("form_fields_per_document")) {
    CS_ASSIGN_OR_RETURN(in.form_fields, AsArray(*raw, "form_fields_per_document"));
  }
  if (const json* raw = f.Raw("form_field_groups")) {
    CS_ASSIGN_OR_RETURN(json groups, AsArray(*raw, "form_field_groups"));
    CS_ASSIGN_OR_RETURN(in.form_field_groups, ParseFormFieldGroups(groups));
  }
  if (const json* raw = f.Raw("form_field_rules")) {
    CS_ASSIGN_OR_RETURN(json rules, AsArray(*raw, "form_field_rules"));
    CS_ASSIGN_OR_RETURN(in.form_field_rules, ParseFormFieldRules(rules));
  }
  CS_ASSIGN_OR_RETURN(auto title, f.String("title"));
  in.title = title.value_or("");
  CS_ASSIGN_OR_RETURN(auto subject, f.String("subject"));
  in.subject = subject.value_or("");
  CS_ASSIGN_OR_RETURN(auto message, f.String("message"));
  in.message = message.value_or("");
  CS_ASSIGN_OR_RETURN(auto metadata, f.Object("metadata"));
  if (metadata) in.metadata = *metadata;
  CS_ASSIGN_OR_RETURN(auto test_mode, f.Bool("test_mode"));
  in.test_mode = test_mode.value_or(false);
  CS_ASSIGN_OR_RETURN(auto allow_reassign, f.Bool("allow_reassign"));
  in.allow_reassign = allow_reassign.value_or(false);
  CS_ASSIGN_OR_RETURN(in.field_options_json, ObjectText(f, "field_options"));
  CS_ASSIGN_OR_RETURN(auto client_id, f.String("client_id"));
  in.client_id = client_id.value_or("");
  return in;
}

StatusOr<TemplateChange> ParseTemplateUpdate(RequestFields& f) {
  TemplateChange change;
  CS_ASSIGN_OR_RETURN(change.title, f.String("title"));
  CS_ASSIGN_OR_RETURN(change.subject, f.String("subject"));
  CS_ASSIGN_OR_RETURN(change.message, f.String("message"));
  CS_ASSIGN_OR_RETURN(change.cc_roles, f.StringArray("cc_roles"));
  if (const json* raw = f.Raw("form_fields")) {
    CS_ASSIGN_OR_RETURN(auto items, AsObjectArray(*raw, "form_fields"));
    for (size_t i = 0; i < items.size(); ++i) {
      CS_ASSIGN_OR_RETURN(std::string api_id,
                          Member(items[i], "api_id", At("form_fields", i, "api_id")));
      CS_ASSIGN_OR_RETURN(std::string name, Member(items[i], "name", At("form_fields", i, "name")));
      change.field_names.emplace_back(std::move(api_id), std::move(name));
    }
  }
  return change;
}

StatusOr<TemplateFilesInput> ParseTemplateFiles(RequestFields& f) {
  TemplateFilesInput in;
  CS_RETURN_IF_ERROR(ParseDocuments(f, in.files, in.file_urls));
  CS_ASSIGN_OR_RETURN(in.subject, f.String("subject"));
  CS_ASSIGN_OR_RETURN(in.message, f.String("message"));
  CS_ASSIGN_OR_RETURN(auto client_id, f.String("client_id"));
  in.client_id = client_id.value_or("");
  // Type-checked and accepted: the new template keeps the old one's test_mode.
  CS_RETURN_IF_ERROR(f.Bool("test_mode").status());
  return in;
}

StatusOr<TemplateSendInput> ParseSendWithTemplate(RequestFields& f) {
  TemplateSendInput in;
  CS_ASSIGN_OR_RETURN(auto ids, f.StringArray("template_ids"));
  if (ids) in.template_ids = *ids;
  CS_ASSIGN_OR_RETURN(auto single, f.String("template_id"));  // the SDKs' older, single form
  if (single && !single->empty()) in.template_ids.insert(in.template_ids.begin(), *single);
  if (const json* raw = f.Raw("signers")) {
    CS_ASSIGN_OR_RETURN(auto signers, AsObjectArray(*raw, "signers"));
    for (size_t i = 0; i < signers.size(); ++i) {
      CS_ASSIGN_OR_RETURN(std::string role, Member(signers[i], "role", At("signers", i, "role")));
      in.signers.push_back({std::move(role), {}});
    }
  }
  if (const json* raw = f.Raw("ccs")) {
    CS_ASSIGN_OR_RETURN(auto ccs, AsObjectArray(*raw, "ccs"));
    for (size_t i = 0; i < ccs.size(); ++i) {
      CS_ASSIGN_OR_RETURN(std::string role, Member(ccs[i], "role", At("ccs", i, "role")));
      CS_ASSIGN_OR_RETURN(std::string email,
                          Member(ccs[i], "email_address", At("ccs", i, "email_address")));
      in.ccs.emplace_back(std::move(role), std::move(email));
    }
  }
  // The rest as /signature_request/send reads it; its signers are ours without the role.
  CS_ASSIGN_OR_RETURN(in.send, ParseSendRequest(f));
  for (size_t i = 0; i < in.signers.size() && i < in.send.signers.size(); ++i) {
    in.signers[i].signer = std::move(in.send.signers[i]);
  }
  in.send.signers.clear();
  // The fields come from the templates; fields sent along are not part of this operation.
  for (const char* key : {"form_fields_per_document", "form_field_groups", "form_field_rules"}) {
    if (f.Has(key)) in.send.ignored_parameters.push_back(key);
  }
  in.send.form_fields.clear();
  in.send.form_fields_json.clear();
  in.send.form_field_groups.clear();
  in.send.form_field_rules.clear();
  auto& ignored = in.send.ignored_parameters;
  ignored.erase(std::remove_if(ignored.begin(), ignored.end(),
                               [](const std::string& p) {
                                 return p.rfind("signers[", 0) == 0 && p.size() > 5 &&
                                        p.substr(p.size() - 5) == ".role";
                               }),
                ignored.end());
  return in;
}

}  // namespace countersign::api
