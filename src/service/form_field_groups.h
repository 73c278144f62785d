// form_field_groups (SubFormFieldGroup): rules over several checkboxes or radio buttons that
// name the group's group_id in their `group` — "check exactly one", "at least one", "at most
// one". Checked at send (ParseFormFieldGroups, CheckFieldGroups), enforced on the signing page
// and again when the signer signs (field_values.h). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/form_field.h"
#include "model/signature_request_records.h"

namespace countersign {

// The form_field_groups array (its JSON value). Each entry needs group_id (1..200 characters,
// unique), group_label (at most 200) and a requirement of require_0-1, require_1,
// require_1-ormore or require_0-ormore. kInvalidArgument with path
// "form_field_groups[i].<key>".
StatusOr<std::vector<FormFieldGroup>> ParseFormFieldGroups(const nlohmann::json& groups);

// Every checkbox's `group` names one of `groups`, and a group's checkboxes belong to one
// signer; a radio group named in `groups` asks for at most one (require_0-1 or require_1).
// kInvalidArgument with the path of the field or group.
Status CheckFieldGroups(const std::vector<FormField>& fields,
                        const std::vector<FormFieldGroup>& groups);

// The JSON text stored for `groups` (empty for none), and the request's stored groups.
std::string FormFieldGroupsJson(const std::vector<FormFieldGroup>& groups);
std::vector<FormFieldGroup> GroupsOf(const SignatureRequest& request);

// The group named `group_id`, or nullptr.
const FormFieldGroup* FindGroup(const std::vector<FormFieldGroup>& groups,
                                const std::string& group_id);

// Whether `checked` checked boxes meet `requirement`.
bool RequirementMet(const std::string& requirement, int checked);

// What the requirement asks, for people: "Check exactly one of “Plan”."
std::string RequirementText(const FormFieldGroup& group);

}  // namespace countersign
