#include "service/field_values.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/json_dump.h"
#include "service/custom_fields.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/text_validation.h"

namespace countersign {
namespace {

using nlohmann::json;

std::string FieldKey(const FormField& f) { return "field[" + f.api_id + "]"; }
std::string RadioKey(const std::string& group) { return "radio[" + group + "]"; }

// The label a person reads for `f`: its name, else its api_id.
std::string LabelOf(const FormField& f) { return f.name.empty() ? f.api_id : f.name; }

std::string TrimRight(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  return text;
}

bool HasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return (static_cast<unsigned char>(c) < 0x20) || c == 0x7f; });
}

bool Matches(const std::string& pattern, const std::string& value) {
  try {
    return std::regex_match(value, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::exception&) {  // regex_error, or a match too complex for std::regex
    return false;
  }
}

bool Checked(const std::string& value) { return value == "1" || value == "true" || value == "on"; }

}  // namespace

std::vector<FormField> FieldsOf(const SignatureRequest& request) {
  if (request.form_fields_json.empty()) return {};
  StatusOr<std::vector<FormField>> fields =
      ParseFormFields(json::parse(request.form_fields_json, nullptr, false));
  return fields.ok() ? std::move(*fields) : std::vector<FormField>();
}

bool FillsOnPage(const FormField& field) {
  return field.type == "text" || field.type == "checkbox" || field.type == "radio" ||
         field.type == "dropdown";
}

std::vector<FormField> FieldsOfSigner(const std::vector<FormField>& fields, int signer) {
  std::vector<FormField> out;
  for (const FormField& f : fields) {
    if (SignerIndexOf(f) == signer) out.push_back(f);
  }
  std::stable_sort(out.begin(), out.end(), [](const FormField& a, const FormField& b) {
    return std::make_tuple(a.document_index, a.page.value_or(1), a.y, a.x) <
           std::make_tuple(b.document_index, b.page.value_or(1), b.y, b.x);
  });
  return out;
}

std::string PatternOf(const FormField& field) {
  static const std::map<std::string, std::string> kPatterns = {
      {"numbers_only", "[0-9]+([.,][0-9]+)?"},
      {"letters_only", "[A-Za-z]+"},
      {"phone_number", "\\+?[0-9][0-9 \\(\\)\\.\\-]{5,22}[0-9]"},
      {"bank_routing_number", "[0-9]{9}"},
      {"bank_account_number", "[0-9]{4,17}"},
      {"email_address", "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"},
      {"zip_code", "[0-9]{5}(-?[0-9]{4})?"},
      {"social_security_number", "[0-9]{3}-?[0-9]{2}-?[0-9]{4}"},
      {"employer_identification_number", "[0-9]{2}-?[0-9]{7}"},
  };
  if (field.type != "text") return "";
  if (field.validation_type == "custom_regex") return field.validation_custom_regex;
  auto it = kPatterns.find(field.validation_type);
  return it == kPatterns.end() ? "" : it->second;
}

std::string PatternHint(const FormField& field) {
  static const std::map<std::string, std::string> kHints = {
      {"numbers_only", "a number"},
      {"letters_only", "letters only"},
      {"phone_number", "a phone number"},
      {"bank_routing_number", "a 9-digit routing number"},
      {"bank_account_number", "a bank account number (4 to 17 digits)"},
      {"email_address", "an email address"},
      {"zip_code", "a ZIP code (12345 or 12345-6789)"},
      {"social_security_number", "a social security number (123-45-6789)"},
      {"employer_identification_number", "an employer identification number (12-3456789)"},
      {"custom_regex", "text in the format the sender asked for"},
  };
  if (field.type != "text") return "";
  auto it = kHints.find(field.validation_type);
  return it == kHints.end() ? "" : it->second;
}

StatusOr<std::string> CheckSignerValues(const std::vector<FormField>& fields, int signer,
                                        const SubmittedFields& submitted,
                                        const std::vector<FormFieldGroup>& groups_given,
                                        const std::vector<FormFieldRule>& rules) {
  std::map<std::string, const FormField*> by_key;  // field[...] keys this signer may send
  std::map<std::string, std::vector<const FormField*>> groups;  // radio groups of this signer
  for (const FormField& f : fields) {
    if (SignerIndexOf(f) != signer || !FillsOnPage(f)) continue;
    if (f.type == "radio") {
      groups[f.group].push_back(&f);
    } else {
      by_key[FieldKey(f)] = &f;
    }
  }
  for (const auto& [key, value] : submitted) {
    const bool radio_key = key.rfind("radio[", 0) == 0 && key.back() == ']' &&
                           groups.count(key.substr(6, key.size() - 7)) != 0;
    if (by_key.count(key) == 0 && !radio_key) {
      return InvalidArgument("This document has no field of yours named " + key + ".", key);
    }
  }
  auto value_of = [&](const std::string& key) {
    auto it = submitted.find(key);
    return it == submitted.end() ? std::string() : it->second;
  };
  const std::set<std::string> hidden = HiddenFields(fields, rules, [&](const FormField& f) {
    if (f.type == "checkbox") return std::string(Checked(value_of(FieldKey(f))) ? "1" : "0");
    if (f.type == "radio") return std::string(value_of(RadioKey(f.group)) == f.api_id ? "1" : "0");
    return value_of(FieldKey(f));
  });
  json out = json::object();
  std::map<std::string, int> checked_in_group;  // form_field_groups id -> checked visible boxes
  for (const auto& [key, field] : by_key) {
    const FormField& f = *field;
    std::string value = value_of(key);
    const std::string label = "\"" + LabelOf(f) + "\"";
    if (hidden.count(f.api_id) != 0) {  // hidden by a rule: neither required nor kept
      out[f.api_id] = f.type == "checkbox" ? "false" : "";
      continue;
    }
    if (f.type == "checkbox") {
      const bool checked = Checked(value);
      const FormFieldGroup* group = FindGroup(groups_given, f.group);
      if (group != nullptr) {
        checked_in_group[group->group_id] += checked ? 1 : 0;  // counted when shown
      } else if (f.required && !checked) {
        return InvalidArgument("Check " + label + ".", key);
      }
      out[f.api_id] = checked ? "true" : "false";
      continue;
    }
    value = TrimRight(std::move(value));
    if (value.empty()) {
      if (f.required) return InvalidArgument("Fill in " + label + ".", key);
      out[f.api_id] = "";
      continue;
    }
    if (CharacterCount(value) > kMaxFieldValueLength || HasControl(value)) {
      return InvalidArgument(label + " takes at most " + std::to_string(kMaxFieldValueLength) +
                                 " characters on one line.",
                             key);
    }
    CS_RETURN_IF_ERROR(CheckPlainText(value, key));  // UTF-8, no bidi overrides
    if (f.type == "dropdown" &&
        std::find(f.options.begin(), f.options.end(), value) == f.options.end()) {
      return InvalidArgument("Choose one of the options of " + label + ".", key);
    }
    const std::string pattern = PatternOf(f);
    if (!pattern.empty() && !Matches(pattern, value)) {
      return InvalidArgument(label + " must be " + PatternHint(f) + ".", key);
    }
    out[f.api_id] = value;
  }
  for (const auto& [group_id, checked] : checked_in_group) {
    const FormFieldGroup& group = *FindGroup(groups_given, group_id);
    if (!RequirementMet(group.requirement, checked)) {
      return InvalidArgument(RequirementText(group), "group[" + group_id + "]");
    }
  }
  for (const auto& [group, buttons] : groups) {
    const std::string key = RadioKey(group);
    std::string chosen = value_of(key);
    bool found = chosen.empty();
    for (const FormField* b : buttons) found = found || b->api_id == chosen;
    if (!found) return InvalidArgument("Choose one of the buttons of group " + group + ".", key);
    if (hidden.count(chosen) != 0) chosen.clear();
    std::vector<const FormField*> shown;
    for (const FormField* b : buttons) {
      if (hidden.count(b->api_id) == 0) shown.push_back(b);
    }
    const FormFieldGroup* rule = FindGroup(groups_given, group);
    const bool required =
        !shown.empty() &&
        (rule != nullptr ? rule->requirement == "require_1"
                         : std::any_of(shown.begin(), shown.end(),
                                       [](const FormField* b) { return b->required; }));
    if (required && chosen.empty()) {
      return InvalidArgument("Choose one of the buttons of group \"" + group + "\".", key);
    }
    for (const FormField* b : buttons) out[b->api_id] = b->api_id == chosen ? "true" : "false";
  }
  return out.empty() ? std::string() : DumpJson(out);
}

std::map<std::string, std::string> StoredValues(const Signature& signer) {
  std::map<std::string, std::string> out;
  if (signer.field_values_json.empty()) return out;
  json values = json::parse(signer.field_values_json, nullptr, false);
  if (!values.is_object()) return out;
  for (const auto& [api_id, value] : values.items()) {
    if (value.is_string()) out[api_id] = value.get<std::string>();
  }
  return out;
}

std::string FilledFieldsAuditText(const std::vector<FormField>& fields, int signer) {
  constexpr size_t kMaxNames = 20;
  std::vector<std::string> names;
  std::set<std::string> groups;
  for (const FormField& f : FieldsOfSigner(fields, signer)) {
    if (!FillsOnPage(f)) continue;
    if (f.type == "radio") {
      if (groups.insert(f.group).second) names.push_back(f.group);
    } else {
      names.push_back(LabelOf(f));
    }
  }
  if (names.empty()) return "";
  std::string text =
      "filled " + std::to_string(names.size()) + (names.size() == 1 ? " field: " : " fields: ");
  for (size_t i = 0; i < names.size() && i < kMaxNames; ++i) {
    if (i > 0) text += ", ";
    text += names[i].substr(0, 60);
  }
  if (names.size() > kMaxNames)
    text += " and " + std::to_string(names.size() - kMaxNames) + " more";
  return text;
}

std::vector<ResponseDatum> ResponseDataOf(const SignatureRequest& request,
                                          const std::vector<FormField>& fields,
                                          const std::vector<CustomField>& custom) {
  std::vector<ResponseDatum> out;
  for (const FormField& f : fields) {
    ResponseDatum d;
    d.api_id = f.api_id;
    d.name = f.name;
    d.type = f.type;
    d.required = f.required;
    if (IsMergeField(f)) {
      std::optional<std::string> value = MergeValueOf(f, custom);
      if (!value) continue;
      d.value = *value;
      out.push_back(std::move(d));
      continue;
    }
    const int signer = SignerIndexOf(f);
    if (signer < 0 || static_cast<size_t>(signer) >= request.signatures.size()) continue;
    const Signature& s = request.signatures[signer];
    if (s.signed_at == 0 || f.type == "hyperlink") continue;
    d.signature_id = s.signature_id;
    if (f.type == "signature" || f.type == "initials") {
      d.is_signed = true;
    } else if (f.type == "date_signed") {
      d.value = DateSignedText(s.signed_at, request.field_options_json);
    } else {
      std::map<std::string, std::string> values = StoredValues(s);
      auto it = values.find(f.api_id);
      if (it == values.end()) continue;  // signed before the field was asked for
      if (f.type == "checkbox" || f.type == "radio") {
        d.checked = it->second == "true";
      } else {
        d.value = it->second;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

RequestFieldData FieldDataOf(const SignatureRequest& request) {
  const std::vector<FormField> fields = FieldsOf(request);
  const std::vector<CustomField> custom = StoredCustomFields(request);
  return {ResponseDataOf(request, fields, custom), CustomFieldData(fields, custom)};
}

}  // namespace countersign
