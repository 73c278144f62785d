#include "service/form_field_groups.h"

#include <map>
#include <set>

#include "core/json_dump.h"

namespace countersign {
namespace {

using nlohmann::json;

const std::set<std::string>& Requirements() {
  static const std::set<std::string> kRequirements = {"require_0-1", "require_1",
                                                      "require_1-ormore", "require_0-ormore"};
  return kRequirements;
}

std::string PathOf(size_t index, const char* key) {
  return "form_field_groups[" + std::to_string(index) + "]." + key;
}

}  // namespace

StatusOr<std::vector<FormFieldGroup>> ParseFormFieldGroups(const json& groups) {
  if (!groups.is_array()) {
    return InvalidArgument("form_field_groups must be an array", "form_field_groups");
  }
  std::vector<FormFieldGroup> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < groups.size(); ++i) {
    const json& entry = groups[i];
    if (!entry.is_object()) {
      return InvalidArgument("Each form field group must be an object",
                             "form_field_groups[" + std::to_string(i) + "]");
    }
    auto text = [&](const char* key) -> StatusOr<std::string> {
      auto it = entry.find(key);
      if (it == entry.end() || it->is_null()) {
        return InvalidArgument(std::string(key) + " is required", PathOf(i, key));
      }
      if (!it->is_string()) {
        return InvalidArgument(std::string(key) + " must be a string", PathOf(i, key));
      }
      return it->get<std::string>();
    };
    FormFieldGroup g;
    CS_ASSIGN_OR_RETURN(g.group_id, text("group_id"));
    if (g.group_id.empty() || g.group_id.size() > 200) {
      return InvalidArgument("group_id must have 1 to 200 characters", PathOf(i, "group_id"));
    }
    if (!ids.insert(g.group_id).second) {
      return InvalidArgument("group_id \"" + g.group_id + "\" is given twice",
                             PathOf(i, "group_id"));
    }
    CS_ASSIGN_OR_RETURN(g.label, text("group_label"));
    if (g.label.size() > 200) {
      return InvalidArgument("group_label is longer than 200 characters", PathOf(i, "group_label"));
    }
    CS_ASSIGN_OR_RETURN(g.requirement, text("requirement"));
    if (Requirements().count(g.requirement) == 0) {
      return InvalidArgument(
          "requirement must be require_0-1, require_1, require_1-ormore or require_0-ormore",
          PathOf(i, "requirement"));
    }
    out.push_back(std::move(g));
  }
  return out;
}

Status CheckFieldGroups(const std::vector<FormField>& fields,
                        const std::vector<FormFieldGroup>& groups) {
  std::map<std::string, const FormField*> first_of_group;
  for (const FormField& f : fields) {
    if (f.group.empty()) continue;
    const std::string path = "form_fields_per_document[" + std::to_string(f.index) + "]";
    if (f.type == "checkbox") {
      if (FindGroup(groups, f.group) == nullptr) {
        return InvalidArgument("group \"" + f.group + "\" is not one of form_field_groups",
                               path + ".group");
      }
    } else if (f.type != "radio") {
      continue;
    }
    auto [it, first] = first_of_group.emplace(f.group, &f);
    if (!first && it->second->signer != f.signer) {
      return InvalidArgument("The fields of group \"" + f.group + "\" must belong to one signer",
                             path + ".signer");
    }
  }
  for (size_t i = 0; i < groups.size(); ++i) {
    auto it = first_of_group.find(groups[i].group_id);
    if (it != first_of_group.end() && it->second->type == "radio" &&
        groups[i].requirement != "require_0-1" && groups[i].requirement != "require_1") {
      return InvalidArgument("A radio group takes require_0-1 or require_1",
                             PathOf(i, "requirement"));
    }
  }
  return Status::Ok();
}

std::string FormFieldGroupsJson(const std::vector<FormFieldGroup>& groups) {
  if (groups.empty()) return "";
  json out = json::array();
  for (const FormFieldGroup& g : groups) {
    out.push_back(
        {{"group_id", g.group_id}, {"group_label", g.label}, {"requirement", g.requirement}});
  }
  return DumpJson(out);
}

std::vector<FormFieldGroup> GroupsOf(const SignatureRequest& request) {
  if (request.form_field_groups_json.empty()) return {};
  auto parsed = ParseFormFieldGroups(json::parse(request.form_field_groups_json, nullptr, false));
  return parsed.ok() ? std::move(*parsed) : std::vector<FormFieldGroup>();
}

const FormFieldGroup* FindGroup(const std::vector<FormFieldGroup>& groups,
                                const std::string& group_id) {
  for (const FormFieldGroup& g : groups) {
    if (g.group_id == group_id) return &g;
  }
  return nullptr;
}

bool RequirementMet(const std::string& requirement, int checked) {
  if (requirement == "require_0-1") return checked <= 1;
  if (requirement == "require_1") return checked == 1;
  if (requirement == "require_1-ormore") return checked >= 1;
  return true;  // require_0-ormore
}

std::string RequirementText(const FormFieldGroup& group) {
  const std::string label =
      "\u201c" + (group.label.empty() ? group.group_id : group.label) + "\u201d";
  if (group.requirement == "require_0-1") return "Check at most one of " + label + ".";
  if (group.requirement == "require_1") return "Check exactly one of " + label + ".";
  if (group.requirement == "require_1-ormore") return "Check at least one of " + label + ".";
  return "Check any of " + label + ".";
}

}  // namespace countersign
