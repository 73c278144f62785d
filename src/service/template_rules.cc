#include "service/template_rules.h"

#include <charconv>
#include <set>

#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/text_validation.h"

namespace countersign {

using nlohmann::json;

namespace {

std::string At(const char* field, size_t i, const char* member = nullptr) {
  std::string path = std::string(field) + "[" + std::to_string(i) + "]";
  if (member) path += std::string(".") + member;
  return path;
}

Status CheckName(const std::string& name, const std::string& path) {
  if (name.empty()) return InvalidArgument("This value should not be blank", path);
  if (name.size() > 255) return InvalidArgument("The name may be at most 255 characters", path);
  return CheckPlainText(name, path);
}

// The index `text` names when it is a non-negative integer, or -1.
int IndexOf(const std::string& text) {
  int value = -1;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && p == text.data() + text.size() && value >= 0 ? value : -1;
}

StatusOr<json> ParseStored(const std::string& text, const char* what) {
  if (text.empty()) return json::array();
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Internal(std::string("stored template ") + what + " is corrupt");
  return parsed;
}

}  // namespace

Status CheckTemplateRoles(const std::vector<TemplateRole>& signer_roles,
                          const std::vector<std::string>& cc_roles) {
  if (signer_roles.empty()) {
    return InvalidArgument("At least one signer role is required", "signer_roles");
  }
  std::set<std::string> names;
  size_t with_order = 0;
  for (size_t i = 0; i < signer_roles.size(); ++i) {
    const TemplateRole& role = signer_roles[i];
    CS_RETURN_IF_ERROR(CheckName(role.name, At("signer_roles", i, "name")));
    if (!names.insert(role.name).second) {
      return InvalidArgument("Role names must be unique", At("signer_roles", i, "name"));
    }
    if (role.order) {
      if (*role.order < 0) {
        return InvalidArgument("order must not be negative", At("signer_roles", i, "order"));
      }
      ++with_order;
    }
  }
  if (with_order != 0 && with_order != signer_roles.size()) {
    return InvalidArgument("Give an order to every signer role or to none", "signer_roles");
  }
  for (size_t i = 0; i < cc_roles.size(); ++i) {
    CS_RETURN_IF_ERROR(CheckName(cc_roles[i], At("cc_roles", i)));
    if (!names.insert(cc_roles[i]).second) {
      return InvalidArgument("Role names must be unique", At("cc_roles", i));
    }
  }
  return Status::Ok();
}

Status CheckMergeFields(const std::vector<TemplateMergeField>& merge_fields) {
  std::set<std::string> names;
  for (size_t i = 0; i < merge_fields.size(); ++i) {
    CS_RETURN_IF_ERROR(CheckName(merge_fields[i].name, At("merge_fields", i, "name")));
    if (!names.insert(merge_fields[i].name).second) {
      return InvalidArgument("Merge field names must be unique", At("merge_fields", i, "name"));
    }
    if (merge_fields[i].type != "text" && merge_fields[i].type != "checkbox") {
      return InvalidArgument("type must be text or checkbox", At("merge_fields", i, "type"));
    }
  }
  return Status::Ok();
}

StatusOr<json> NormalizeTemplateFields(const json& fields,
                                       const std::vector<TemplateRole>& signer_roles) {
  json out = json::array();
  for (size_t i = 0; i < fields.size(); ++i) {
    json field = fields[i];
    if (!field.is_object()) {
      return InvalidArgument("Each form field must be an object",
                             At("form_fields_per_document", i));
    }
    auto it = field.find("signer");
    if (it == field.end() || it->is_null()) {
      out.push_back(std::move(field));  // ParseFormFields reports the missing signer
      continue;
    }
    int index = -1;
    if (it->is_number_integer()) {
      index = it->get<int>() >= 0 ? it->get<int>() : -1;
    } else if (it->is_string()) {
      const std::string& text = it->get_ref<const std::string&>();
      if (text == "sender" || text == "me_now") {
        out.push_back(std::move(field));
        continue;
      }
      index = IndexOf(text);
      for (size_t r = 0; index < 0 && r < signer_roles.size(); ++r) {
        if (signer_roles[r].name == text) index = static_cast<int>(r);
      }
    }
    if (index < 0 || static_cast<size_t>(index) >= signer_roles.size()) {
      return InvalidArgument("signer must be the index or name of one of the " +
                                 std::to_string(signer_roles.size()) + " signer roles",
                             At("form_fields_per_document", i, "signer"));
    }
    *it = std::to_string(index);
    out.push_back(std::move(field));
  }
  return out;
}

json RetargetTemplateFields(const json& stored, size_t document_offset,
                            const std::vector<size_t>& signer_of_role) {
  json out = json::array();
  for (json field : stored) {
    if (!field.is_object()) continue;
    if (auto doc = field.find("document_index"); doc != field.end() && doc->is_number_integer()) {
      *doc = doc->get<int64_t>() + static_cast<int64_t>(document_offset);
    }
    if (auto signer = field.find("signer"); signer != field.end() && signer->is_string()) {
      const int role = IndexOf(signer->get<std::string>());
      if (role >= 0 && static_cast<size_t>(role) < signer_of_role.size()) {
        *signer = std::to_string(signer_of_role[role]);
      }
    }
    out.push_back(std::move(field));
  }
  return out;
}

StatusOr<json> StoredFieldsJson(const Template& t) {
  return ParseStored(t.form_fields_json, "form fields");
}

StatusOr<std::vector<FormField>> TemplateFields(const Template& t) {
  CS_ASSIGN_OR_RETURN(json fields, StoredFieldsJson(t));
  auto parsed = ParseFormFields(fields);
  if (!parsed.ok()) return Internal("stored template form fields are corrupt");
  return parsed;
}

StatusOr<std::vector<FormFieldGroup>> TemplateGroups(const Template& t) {
  CS_ASSIGN_OR_RETURN(json groups, ParseStored(t.form_field_groups_json, "field groups"));
  auto parsed = ParseFormFieldGroups(groups);
  if (!parsed.ok()) return Internal("stored template field groups are corrupt");
  return parsed;
}

StatusOr<std::vector<FormFieldRule>> TemplateRules(const Template& t) {
  CS_ASSIGN_OR_RETURN(json rules, ParseStored(t.form_field_rules_json, "field rules"));
  auto parsed = ParseFormFieldRules(rules);
  if (!parsed.ok()) return Internal("stored template field rules are corrupt");
  return parsed;
}

}  // namespace countersign
