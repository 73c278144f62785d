#include "wire/template_render.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace countersign::wire {

using nlohmann::json;

namespace {

int Whole(double v) { return static_cast<int>(std::lround(v)); }

bool IsMerge(const FormField& f) { return f.type == "text-merge" || f.type == "checkbox-merge"; }

// How much text fits, as the web editor reports it (avg_text_length and friends).
void AddTextLayout(json& out, const FormField& f) {
  const int font = f.font_size > 0 ? f.font_size : 12;
  json avg = json::object();
  avg["num_lines"] = std::max(1, Whole(f.height / (font * 1.2)));
  avg["num_chars_per_line"] = std::max(1, Whole(f.width / (font * 0.55)));
  out["avg_text_length"] = std::move(avg);
  out["isMultiline"] = f.height >= 2 * font * 1.2;
  out["originalFontSize"] = font;
  out["fontFamily"] = f.font_family.empty() ? "arial" : f.font_family;
}

void AddBox(json& out, const FormField& f) {
  out["x"] = Whole(f.x);
  out["y"] = Whole(f.y);
  out["width"] = Whole(f.width);
  out["height"] = Whole(f.height);
  out["required"] = f.required;
}

// A signer's field (TemplateResponseDocumentFormField*). `signer` is the role's number, 1-based
// as Dropbox Sign reports it.
json FormFieldJson(const FormField& f) {
  json out = json::object();
  out["api_id"] = f.api_id;
  out["name"] = f.name;
  out["type"] = f.type;
  const bool by_role =
      !f.signer.empty() && std::all_of(f.signer.begin(), f.signer.end(),
                                       [](unsigned char c) { return std::isdigit(c) != 0; });
  out["signer"] = by_role ? std::to_string(std::stoi(f.signer) + 1) : f.signer;
  AddBox(out, f);
  out["group"] = f.group.empty() ? json(nullptr) : json(f.group);
  if (f.type == "text" || f.type == "hyperlink") AddTextLayout(out, f);
  if (f.type == "text") {
    out["validation_type"] = f.validation_type.empty() ? json(nullptr) : json(f.validation_type);
    out["validation_custom_regex"] =
        f.validation_custom_regex.empty() ? json(nullptr) : json(f.validation_custom_regex);
    out["validation_custom_regex_format_label"] = nullptr;
  }
  return out;
}

// A merge field (TemplateResponseDocumentCustomField*): filled by the sender, so no signer.
json CustomFieldJson(const FormField& f) {
  json out = json::object();
  out["name"] = f.name;
  out["type"] = f.type == "checkbox-merge" ? "checkbox" : "text";
  out["signer"] = nullptr;
  AddBox(out, f);
  out["api_id"] = f.api_id;
  out["group"] = nullptr;
  if (f.type == "text-merge") AddTextLayout(out, f);
  return out;
}

// A declared merge field no form field places: reported on the first document, without a box.
json UnplacedMergeFieldJson(const TemplateMergeField& m) {
  json out = json::object();
  out["name"] = m.name;
  out["type"] = m.type;
  out["signer"] = nullptr;
  out["x"] = 0;
  out["y"] = 0;
  out["width"] = 0;
  out["height"] = 0;
  out["required"] = false;
  out["api_id"] = m.name;
  out["group"] = nullptr;
  return out;
}

json AccountJson(const Account& a) {
  json quotas = json::object();
  for (const char* key : {"templates_left", "api_signature_requests_left", "documents_left",
                          "sms_verifications_left"}) {
    quotas[key] = nullptr;  // a self-hosted server has no quotas
  }
  json out = json::object();
  out["account_id"] = a.id;
  out["email_address"] = a.email;
  out["is_locked"] = a.is_locked;
  out["is_paid_hs"] = true;
  out["is_paid_hf"] = false;
  out["quotas"] = std::move(quotas);
  return out;
}

json DocumentJson(const TemplateRenderInput& in, size_t index) {
  json form_fields = json::array();
  json custom_fields = json::array();
  json field_groups = json::array();
  std::vector<std::string> groups_here;
  for (const FormField& f : in.fields) {
    if (f.document_index != static_cast<int>(index)) continue;
    if (IsMerge(f)) {
      custom_fields.push_back(CustomFieldJson(f));
      continue;
    }
    form_fields.push_back(FormFieldJson(f));
    if (!f.group.empty() &&
        std::find(groups_here.begin(), groups_here.end(), f.group) == groups_here.end()) {
      groups_here.push_back(f.group);
    }
  }
  for (const FormFieldGroup& g : in.groups) {
    if (std::find(groups_here.begin(), groups_here.end(), g.group_id) == groups_here.end()) {
      continue;
    }
    field_groups.push_back({{"name", g.group_id},
                            {"rule", {{"requirement", g.requirement}, {"groupLabel", g.label}}}});
  }
  if (index == 0) {
    for (const TemplateMergeField& m : in.tmpl.merge_fields) {
      const bool placed = std::any_of(in.fields.begin(), in.fields.end(), [&](const FormField& f) {
        return IsMerge(f) && f.name == m.name;
      });
      if (!placed) custom_fields.push_back(UnplacedMergeFieldJson(m));
    }
  }
  json out = json::object();
  out["index"] = index;
  out["name"] = in.tmpl.files[index].name;
  out["field_groups"] = std::move(field_groups);
  out["form_fields"] = std::move(form_fields);
  out["custom_fields"] = std::move(custom_fields);
  out["static_fields"] = json::array();
  return out;
}

}  // namespace

json RenderTemplate(const TemplateRenderInput& in) {
  const Template& t = in.tmpl;
  json signer_roles = json::array();
  for (const TemplateRole& r : t.signer_roles) {
    json role = json::object();
    role["name"] = r.name;
    if (r.order) role["order"] = *r.order;
    signer_roles.push_back(std::move(role));
  }
  json cc_roles = json::array();
  for (const std::string& name : t.cc_roles) cc_roles.push_back({{"name", name}});
  json documents = json::array();
  for (size_t i = 0; i < t.files.size(); ++i) documents.push_back(DocumentJson(in, i));
  json accounts = json::array();
  for (const Account& a : in.accounts) accounts.push_back(AccountJson(a));
  json metadata = json::parse(t.metadata_json, nullptr, /*allow_exceptions=*/false);

  json out = json::object();
  out["template_id"] = t.id;
  out["title"] = t.title;
  out["message"] = t.message;
  out["metadata"] = metadata.is_object() ? metadata : json::object();
  out["updated_at"] = t.updated_at;
  out["is_embedded"] = in.is_creator ? json(false) : json(nullptr);
  out["is_creator"] = in.is_creator;
  out["can_edit"] = in.can_edit;
  out["is_locked"] = false;
  out["signer_roles"] = std::move(signer_roles);
  out["cc_roles"] = std::move(cc_roles);
  out["documents"] = std::move(documents);
  out["custom_fields"] = nullptr;      // deprecated: in documents[].custom_fields
  out["named_form_fields"] = nullptr;  // deprecated: in documents[].form_fields
  out["accounts"] = std::move(accounts);
  out["attachments"] = json::array();
  out["signer_experience"] = json{{"form_view", "disabled"}};
  return out;
}

}  // namespace countersign::wire
