#include "web/field_overlay.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "service/custom_fields.h"
#include "service/field_values.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"

namespace countersign::web {
namespace {

// US Letter, for files stored before page sizes were recorded.

std::string Percent(double part, double whole) {
  char out[32];
  std::snprintf(out, sizeof out, "%.4f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return out;
}

std::string FrameId(size_t file_index, int page_index) {
  return "pg-" + std::to_string(file_index) + "-" + std::to_string(page_index);
}

std::string FieldId(const FormField& f) { return "fld-" + std::to_string(f.index); }

// What a person calls the field when it has no name.
std::string KindName(const std::string& type) {
  static const std::map<std::string, std::string> kNames = {
      {"signature", "Signature"},       {"initials", "Initials"},
      {"date_signed", "Date signed"},   {"text", "Text field"},
      {"checkbox", "Checkbox"},         {"radio", "Option"},
      {"dropdown", "Choice"},           {"hyperlink", "Link"},
      {"text-merge", "Prefilled text"}, {"checkbox-merge", "Prefilled checkbox"}};
  auto it = kNames.find(type);
  return it == kNames.end() ? type : it->second;
}

// The HTML autocomplete token for Dropbox Sign's auto_fill_type, or "".
std::string AutocompleteOf(const std::string& auto_fill_type) {
  static const std::map<std::string, std::string> kTokens = {{"name", "name"},
                                                             {"first_name", "given-name"},
                                                             {"last_name", "family-name"},
                                                             {"email", "email"},
                                                             {"email_address", "email"},
                                                             {"company", "organization"},
                                                             {"title", "organization-title"},
                                                             {"phone", "tel"},
                                                             {"phone_number", "tel"},
                                                             {"address", "street-address"},
                                                             {"city", "address-level2"},
                                                             {"state", "address-level1"},
                                                             {"zip", "postal-code"},
                                                             {"zip_code", "postal-code"},
                                                             {"country", "country-name"}};
  auto it = kTokens.find(auto_fill_type);
  return it == kTokens.end() ? "" : it->second;
}

}  // namespace

std::string PageFrameCss(const std::string& frame_id, DisplayedPageSize size) {
  char ratio[64];
  std::snprintf(ratio, sizeof ratio, "%.3f / %.3f", size.width, size.height);
  return "#" + frame_id + "{aspect-ratio:" + ratio + "}\n";
}

FieldOverlay::FieldOverlay(const SignerSession& session, const SubmittedFields& posted,
                           bool is_post)
    : session_(session), posted_(posted), is_post_(is_post) {
  const std::vector<FormField> all = FieldsOf(session.request);
  fields_ = FieldsOfSigner(all, static_cast<int>(session.index));
  for (const FormField& f : all) {
    if (IsMergeField(f)) fields_.push_back(f);
  }
  custom_ = StoredCustomFields(session.request);
  groups_ = GroupsOf(session.request);
  // The rules the page script applies: those whose trigger is this signer's.
  for (const FormFieldRule& rule : RulesOf(session.request)) {
    for (const FormField& f : fields_) {
      if (f.api_id == rule.trigger_id && SignerIndexOf(f) == static_cast<int>(session.index)) {
        rules_.push_back(rule);
      }
    }
  }
  for (const FormField& f : fields_) {
    if (SignerIndexOf(f) != static_cast<int>(session.index) || !FillsOnPage(f)) continue;
    ++fillable_;
    if (f.required) ++required_;
  }
}

void FieldOverlay::AddPage(size_t file_index, int page_index, ctemplate::TemplateDictionary& page) {
  const RequestFile& file = session_.request.files.at(file_index);
  const DisplayedPageSize size = PageSizeOf(file, page_index);
  const std::string frame = FrameId(file_index, page_index);
  page.SetValue("FRAME_ID", frame);
  css_ += PageFrameCss(frame, size);
  for (const FormField& f : fields_) {
    if (static_cast<size_t>(f.document_index) != file_index ||
        f.page.value_or(1) != page_index + 1) {
      continue;
    }
    css_ += "#" + FieldId(f) + "{left:" + Percent(f.x, size.width) +
            ";top:" + Percent(f.y, size.height) + ";width:" + Percent(f.width, size.width) +
            ";height:" + Percent(f.height, size.height) + "}\n";
    AddField(f, page);
  }
}

void FieldOverlay::AddField(const FormField& f, ctemplate::TemplateDictionary& page) {
  ctemplate::TemplateDictionary* field = page.AddSectionDictionary("FIELD");
  field->SetValue("ID", FieldId(f));
  field->SetValue("API_ID", f.api_id);
  if (!f.group.empty()) field->SetValueAndShowSection("GROUP_ID", f.group, "IN_GROUP");
  field->SetValue("KIND", f.type);
  const std::string name = f.name.empty() ? KindName(f.type) : f.name;
  const std::string where = " on page " + std::to_string(f.page.value_or(1));
  const std::string label = name + where + (f.required ? " (required)" : "");
  field->SetValue("LABEL", label);
  if (f.required) field->ShowSection("REQUIRED");
  const std::string key = "field[" + f.api_id + "]";
  auto posted = [&](const std::string& k) {
    auto it = posted_.find(k);
    return it == posted_.end() ? std::string() : it->second;
  };
  if (f.type == "text") {
    ctemplate::TemplateDictionary* d = field->AddSectionDictionary("TEXT");
    d->SetValue("NAME", key);
    d->SetValue("INPUT_TYPE", f.masked ? "password" : "text");
    std::string value = posted(key);
    const std::string autocomplete = AutocompleteOf(f.auto_fill_type);
    if (!is_post_ && autocomplete == "name") value = session_.signer().name;
    if (!is_post_ && autocomplete == "email") value = session_.signer().email;
    d->SetValue("VALUE", value);
    if (std::string pattern = PatternOf(f); !pattern.empty()) {
      d->SetValueAndShowSection("PATTERN", pattern, "HAS_PATTERN");
      d->SetValue("HINT", "Enter " + PatternHint(f));
    }
    if (!f.placeholder.empty()) {
      d->SetValueAndShowSection("PLACEHOLDER", f.placeholder, "HAS_PLACEHOLDER");
    }
    if (!autocomplete.empty()) {
      d->SetValueAndShowSection("AUTOCOMPLETE", autocomplete, "HAS_AUTOCOMPLETE");
    }
  } else if (f.type == "checkbox") {
    ctemplate::TemplateDictionary* d = field->AddSectionDictionary("CHECKBOX");
    d->SetValue("NAME", key);
    if (const FormFieldGroup* group = FindGroup(groups_, f.group)) {
      ctemplate::TemplateDictionary* g = d->AddSectionDictionary("GROUPED");
      g->SetValue("GROUP", group->group_id);
      g->SetValue("REQUIREMENT", group->requirement);
      g->SetValue("GROUP_TEXT", RequirementText(*group));
      field->SetValue("LABEL", name + where + " (" + RequirementText(*group) + ")");
    } else if (f.required) {
      d->ShowSection("REQUIRED_ATTRIBUTE");
    }
    if (is_post_ ? posted(key) == "1" : f.is_checked) d->ShowSection("CHECKED");
  } else if (f.type == "radio") {
    ctemplate::TemplateDictionary* d = field->AddSectionDictionary("RADIO");
    d->SetValue("NAME", "radio[" + f.group + "]");
    d->SetValue("VALUE", f.api_id);
    const std::string group = "radio[" + f.group + "]";
    if (is_post_ ? posted(group) == f.api_id : f.is_checked) d->ShowSection("CHECKED");
  } else if (f.type == "dropdown") {
    ctemplate::TemplateDictionary* d = field->AddSectionDictionary("DROPDOWN");
    d->SetValue("NAME", key);
    const std::string chosen = is_post_ ? posted(key) : f.content;
    for (const std::string& option : f.options) {
      ctemplate::TemplateDictionary* o = d->AddSectionDictionary("OPTION");
      o->SetValue("VALUE", option);
      if (option == chosen) o->ShowSection("SELECTED");
    }
  } else if (f.type == "hyperlink") {
    ctemplate::TemplateDictionary* d = field->AddSectionDictionary("LINK");
    d->SetValue("URL", f.content_url);
    d->SetValue("TEXT", f.content);
  } else if (IsMergeField(f)) {
    std::optional<std::string> value = MergeValueOf(f, custom_);
    std::string shown = value.value_or("");
    if (f.type == "checkbox-merge") shown = shown == "true" ? "\u2713" : "";
    field->SetValueAndShowSection("TEXT", shown, "MERGE");
  } else {  // signature, initials, date_signed: filled from the signature section
    ctemplate::TemplateDictionary* d = field->AddSectionDictionary("MARK");
    d->SetValue("TEXT", f.type == "date_signed" ? "Date"
                        : f.type == "initials"  ? "Initials"
                                                : "Sign");
    d->SetValue("DESCRIPTION", name + where + ": filled with your " +
                                   (f.type == "date_signed" ? std::string("signing date")
                                                            : std::string("signature")) +
                                   " when you sign");
  }
}

std::string FieldOverlay::RulesJson() const { return FormFieldRulesJson(rules_); }

}  // namespace countersign::web
