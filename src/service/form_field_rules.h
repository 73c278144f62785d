// form_field_rules (SubFormFieldRule): "if this field has this value, show (or hide) these
// fields or groups". One trigger per rule (trigger_operator AND, as Dropbox Sign allows today);
// operators is / not / match for text, is / not / any / none for dropdowns, is / not with
// "1" or "0" for checkboxes and radio buttons. A field that is the target of a "show" action
// starts hidden; one only ever hidden starts shown; then the rules apply in order, a hidden
// trigger counting as empty. Hidden fields are neither required nor kept: the signing page
// disables them and the server stores them empty. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/form_field.h"
#include "model/signature_request_records.h"

namespace countersign {

// The form_field_rules array (its JSON value). kInvalidArgument with path
// "form_field_rules[i].<key>" for a missing or mistyped key, a repeated id, a trigger_operator
// other than AND, not exactly one trigger, no action, an action naming both or neither of
// field_id and group_id, or an unknown operator or action type.
StatusOr<std::vector<FormFieldRule>> ParseFormFieldRules(const nlohmann::json& rules);

// Each trigger names a text, dropdown, checkbox or radio field with an operator its type takes
// (a `match` expression compiles; checkbox and radio values are "0" or "1"); each action names
// a field or a group (form_field_groups, or a radio group) of the trigger's signer.
Status CheckFieldRules(const std::vector<FormField>& fields,
                       const std::vector<FormFieldGroup>& groups,
                       const std::vector<FormFieldRule>& rules);

// The JSON text stored for `rules` (empty for none; the same shape the API takes), and the
// request's stored rules.
std::string FormFieldRulesJson(const std::vector<FormFieldRule>& rules);
std::vector<FormFieldRule> RulesOf(const SignatureRequest& request);

// The api_ids of the fields hidden when the fields hold the values `raw` gives: text and
// dropdown their text, checkboxes and radio buttons "1" (checked / chosen) or "0".
std::set<std::string> HiddenFields(const std::vector<FormField>& fields,
                                   const std::vector<FormFieldRule>& rules,
                                   const std::function<std::string(const FormField&)>& raw);

}  // namespace countersign
