#include "service/custom_fields.h"

#include <set>

#include "core/json_dump.h"
#include "service/field_values.h"
#include "service/form_fields.h"
#include "service/text_validation.h"

namespace countersign {
namespace {

using nlohmann::json;

std::string PathOf(size_t index, const char* key) {
  return "custom_fields[" + std::to_string(index) + "]." + key;
}

const FormField* MergeFieldNamed(const std::string& name, const std::vector<FormField>& fields) {
  for (const FormField& f : fields) {
    if (IsMergeField(f) && f.name == name) return &f;
  }
  return nullptr;
}

// Text of a scalar JSON value: strings as they are, numbers and booleans as written.
std::optional<std::string> TextOf(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  return std::nullopt;
}

}  // namespace

StatusOr<std::vector<CustomField>> ParseCustomFields(const json& fields) {
  const json list = fields.is_object() ? json::array({fields}) : fields;
  if (!list.is_array()) return InvalidArgument("custom_fields must be an array", "custom_fields");
  std::vector<CustomField> out;
  std::set<std::string> names;
  for (size_t i = 0; i < list.size(); ++i) {
    const json& entry = list[i];
    if (!entry.is_object()) {
      return InvalidArgument("Each custom field must be an object",
                             "custom_fields[" + std::to_string(i) + "]");
    }
    CustomField c;
    auto text = [&](const char* key) -> StatusOr<std::string> {
      auto it = entry.find(key);
      if (it == entry.end() || it->is_null()) return std::string();
      std::optional<std::string> value = TextOf(*it);
      if (!value) return InvalidArgument(std::string(key) + " must be a string", PathOf(i, key));
      return *value;
    };
    CS_ASSIGN_OR_RETURN(c.name, text("name"));
    if (c.name.empty() || CharacterCount(c.name) > 200) {
      return InvalidArgument("name must have 1 to 200 characters", PathOf(i, "name"));
    }
    CS_RETURN_IF_ERROR(CheckPlainText(c.name, PathOf(i, "name")));
    if (!names.insert(c.name).second) {
      return InvalidArgument("custom field \"" + c.name + "\" is given twice", PathOf(i, "name"));
    }
    CS_ASSIGN_OR_RETURN(c.value, text("value"));
    if (CharacterCount(c.value) > kMaxFieldValueLength) {
      return InvalidArgument(
          "value is longer than " + std::to_string(kMaxFieldValueLength) + " characters",
          PathOf(i, "value"));
    }
    CS_RETURN_IF_ERROR(CheckPlainText(c.value, PathOf(i, "value")));
    CS_ASSIGN_OR_RETURN(c.editor, text("editor"));
    CS_ASSIGN_OR_RETURN(std::string required, text("required"));
    if (!required.empty() && required != "true" && required != "false" && required != "1" &&
        required != "0") {
      return InvalidArgument("required must be true or false", PathOf(i, "required"));
    }
    c.required = required == "true" || required == "1";
    if (c.required && c.editor.empty()) {
      return InvalidArgument("A required custom field needs an editor", PathOf(i, "editor"));
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string CustomFieldsJson(const std::vector<CustomField>& fields) {
  if (fields.empty()) return "";
  json out = json::array();
  for (const CustomField& c : fields) {
    json entry = {{"name", c.name}, {"value", c.value}, {"required", c.required}};
    if (!c.editor.empty()) entry["editor"] = c.editor;
    out.push_back(std::move(entry));
  }
  return DumpJson(out);
}

std::vector<CustomField> StoredCustomFields(const SignatureRequest& request) {
  if (request.custom_fields_json.empty()) return {};
  StatusOr<std::vector<CustomField>> parsed =
      ParseCustomFields(json::parse(request.custom_fields_json, nullptr, false));
  return parsed.ok() ? std::move(*parsed) : std::vector<CustomField>();
}

std::optional<std::string> MergeValueOf(const FormField& field,
                                        const std::vector<CustomField>& custom) {
  if (!IsMergeField(field)) return std::nullopt;
  for (const CustomField& c : custom) {
    if (c.name != field.name) continue;
    if (field.type == "text-merge") return c.value;
    const bool checked = c.value == "true" || c.value == "1" || c.value == "yes";
    return std::string(checked ? "true" : "false");
  }
  return std::nullopt;
}

std::vector<CustomFieldDatum> CustomFieldData(const std::vector<FormField>& fields,
                                              const std::vector<CustomField>& custom) {
  std::vector<CustomFieldDatum> out;
  for (const CustomField& c : custom) {
    CustomFieldDatum d;
    d.name = c.name;
    d.required = c.required;
    if (!c.editor.empty()) d.editor = c.editor;
    const FormField* merge = MergeFieldNamed(c.name, fields);
    d.type = merge != nullptr && merge->type == "checkbox-merge" ? "checkbox" : "text";
    if (merge != nullptr) d.api_id = merge->api_id;
    if (d.type == "checkbox") {
      d.checked = MergeValueOf(*merge, {c}) == "true";
    } else {
      d.value = c.value;
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::string> CustomFieldWarnings(const std::vector<CustomField>& custom,
                                             const std::vector<FormField>& fields) {
  std::vector<std::string> out;
  for (size_t i = 0; i < custom.size(); ++i) {
    const std::string at = "custom_fields[" + std::to_string(i) + "]";
    if (MergeFieldNamed(custom[i].name, fields) == nullptr) {
      out.push_back(at + ": no merge field (text-merge or checkbox-merge) is named \"" +
                    custom[i].name + "\"; its value was not placed.");
    }
    if (!custom[i].editor.empty()) {
      out.push_back(at +
                    ".editor: editable merge fields are not supported yet; the value is "
                    "placed as sent and signers cannot change it.");
    }
  }
  for (const FormField& f : fields) {
    if (IsMergeField(f) && !MergeValueOf(f, custom)) {
      out.push_back("form_fields_per_document[" + std::to_string(f.index) +
                    "]: no custom_fields entry is named \"" + f.name +
                    "\"; this merge field stays empty.");
    }
  }
  return out;
}

}  // namespace countersign
