#include "service/form_field_rules.h"

#include <algorithm>
#include <map>
#include <regex>

#include "core/json_dump.h"

namespace countersign {
namespace {

using nlohmann::json;

std::string PathOf(size_t index, const std::string& key) {
  return "form_field_rules[" + std::to_string(index) + "]" + (key.empty() ? "" : "." + key);
}

const FormField* FieldById(const std::vector<FormField>& fields, const std::string& api_id) {
  for (const FormField& f : fields) {
    if (f.api_id == api_id) return &f;
  }
  return nullptr;
}

// The fields an action targets.
std::vector<const FormField*> Targets(const std::vector<FormField>& fields,
                                      const FormFieldRuleAction& action) {
  std::vector<const FormField*> out;
  for (const FormField& f : fields) {
    if (action.field_id.empty() ? (!f.group.empty() && f.group == action.group_id)
                                : f.api_id == action.field_id) {
      out.push_back(&f);
    }
  }
  return out;
}

bool Holds(const FormFieldRule& rule, const std::string& value) {
  if (rule.op == "is") return value == rule.value;
  if (rule.op == "not") return value != rule.value;
  if (rule.op == "any" || rule.op == "none") {
    const bool in = std::find(rule.values.begin(), rule.values.end(), value) != rule.values.end();
    return rule.op == "any" ? in : !in;
  }
  try {  // match: like JavaScript's RegExp.test, anywhere in the value
    return std::regex_search(value, std::regex(rule.value, std::regex::ECMAScript));
  } catch (const std::exception&) {
    return false;
  }
}

bool IsCheck(const FormField& f) { return f.type == "checkbox" || f.type == "radio"; }

}  // namespace

StatusOr<std::vector<FormFieldRule>> ParseFormFieldRules(const json& rules) {
  if (!rules.is_array()) {
    return InvalidArgument("form_field_rules must be an array", "form_field_rules");
  }
  std::vector<FormFieldRule> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < rules.size(); ++i) {
    const json& entry = rules[i];
    if (!entry.is_object()) return InvalidArgument("Each rule must be an object", PathOf(i, ""));
    auto text = [&](const json& object, const std::string& key,
                    const std::string& path) -> StatusOr<std::string> {
      auto it = object.find(key);
      if (it == object.end() || it->is_null()) return std::string();
      if (it->is_string()) return it->get<std::string>();
      if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
      return InvalidArgument(key + " must be a string", path);
    };
    FormFieldRule rule;
    CS_ASSIGN_OR_RETURN(rule.id, text(entry, "id", PathOf(i, "id")));
    if (rule.id.empty() || !ids.insert(rule.id).second) {
      return InvalidArgument("Each rule needs an id of its own", PathOf(i, "id"));
    }
    CS_ASSIGN_OR_RETURN(std::string op,
                        text(entry, "trigger_operator", PathOf(i, "trigger_operator")));
    if (!op.empty() && op != "AND") {
      return InvalidArgument("trigger_operator must be AND", PathOf(i, "trigger_operator"));
    }
    auto triggers = entry.find("triggers");
    if (triggers == entry.end() || !triggers->is_array() || triggers->size() != 1 ||
        !(*triggers)[0].is_object()) {
      return InvalidArgument("A rule takes exactly one trigger", PathOf(i, "triggers"));
    }
    const json& trigger = (*triggers)[0];
    const std::string at = PathOf(i, "triggers[0]");
    CS_ASSIGN_OR_RETURN(rule.trigger_id, text(trigger, "id", at + ".id"));
    CS_ASSIGN_OR_RETURN(rule.op, text(trigger, "operator", at + ".operator"));
    static const std::set<std::string> kOperators = {"is", "not", "match", "any", "none"};
    if (kOperators.count(rule.op) == 0) {
      return InvalidArgument("operator must be is, not, match, any or none", at + ".operator");
    }
    CS_ASSIGN_OR_RETURN(rule.value, text(trigger, "value", at + ".value"));
    if (auto values = trigger.find("values"); values != trigger.end() && !values->is_null()) {
      if (!values->is_array()) return InvalidArgument("values must be an array", at + ".values");
      for (const json& v : *values) {
        if (!v.is_string()) return InvalidArgument("values must be strings", at + ".values");
        rule.values.push_back(v.get<std::string>());
      }
    }
    const bool list = rule.op == "any" || rule.op == "none";
    if (list ? rule.values.empty() : trigger.find("value") == trigger.end()) {
      return InvalidArgument(list ? "any and none take values" : "this operator takes a value",
                             at + (list ? ".values" : ".value"));
    }
    auto actions = entry.find("actions");
    if (actions == entry.end() || !actions->is_array() || actions->empty()) {
      return InvalidArgument("A rule needs at least one action", PathOf(i, "actions"));
    }
    for (size_t a = 0; a < actions->size(); ++a) {
      const json& action = (*actions)[a];
      const std::string path = PathOf(i, "actions[" + std::to_string(a) + "]");
      if (!action.is_object()) return InvalidArgument("Each action must be an object", path);
      FormFieldRuleAction out_action;
      CS_ASSIGN_OR_RETURN(std::string type, text(action, "type", path + ".type"));
      CS_ASSIGN_OR_RETURN(out_action.field_id, text(action, "field_id", path + ".field_id"));
      CS_ASSIGN_OR_RETURN(out_action.group_id, text(action, "group_id", path + ".group_id"));
      const bool by_field = type == "change-field-visibility";
      if (!by_field && type != "change-group-visibility") {
        return InvalidArgument("type must be change-field-visibility or change-group-visibility",
                               path + ".type");
      }
      if ((by_field ? out_action.field_id : out_action.group_id).empty() ||
          !(by_field ? out_action.group_id : out_action.field_id).empty()) {
        return InvalidArgument(by_field ? "This action takes a field_id and no group_id"
                                        : "This action takes a group_id and no field_id",
                               path + (by_field ? ".field_id" : ".group_id"));
      }
      auto hidden = action.find("hidden");
      if (hidden == action.end() || !(hidden->is_boolean() || hidden->is_string())) {
        return InvalidArgument("hidden must be true or false", path + ".hidden");
      }
      out_action.hidden =
          hidden->is_boolean() ? hidden->get<bool>() : (*hidden == "true" || *hidden == "1");
      rule.actions.push_back(std::move(out_action));
    }
    out.push_back(std::move(rule));
  }
  return out;
}

Status CheckFieldRules(const std::vector<FormField>& fields,
                       const std::vector<FormFieldGroup>& groups,
                       const std::vector<FormFieldRule>& rules) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const FormFieldRule& rule = rules[i];
    const std::string at = PathOf(i, "triggers[0]");
    const FormField* trigger = FieldById(fields, rule.trigger_id);
    if (trigger == nullptr) {
      return InvalidArgument("The trigger names no field of form_fields_per_document", at + ".id");
    }
    const std::string& type = trigger->type;
    const bool ok_op = type == "text" ? (rule.op == "is" || rule.op == "not" || rule.op == "match")
                       : type == "dropdown" ? rule.op != "match"
                       : IsCheck(*trigger)  ? (rule.op == "is" || rule.op == "not")
                                            : false;
    if (!ok_op) {
      return InvalidArgument("A " + type + " field cannot trigger with operator " + rule.op,
                             at + ".operator");
    }
    if (IsCheck(*trigger) && rule.value != "0" && rule.value != "1") {
      return InvalidArgument("A checkbox or radio trigger takes the value 0 or 1", at + ".value");
    }
    if (rule.op == "match") {
      try {
        std::regex compiled(rule.value, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return InvalidArgument("value is not a valid regular expression", at + ".value");
      }
    }
    for (size_t a = 0; a < rule.actions.size(); ++a) {
      const FormFieldRuleAction& action = rule.actions[a];
      const std::string path = PathOf(i, "actions[" + std::to_string(a) + "]");
      std::vector<const FormField*> targets = Targets(fields, action);
      const bool known_group =
          !action.group_id.empty() &&
          (std::any_of(groups.begin(), groups.end(),
                       [&](const FormFieldGroup& g) { return g.group_id == action.group_id; }) ||
           !targets.empty());
      if (targets.empty() || (!action.group_id.empty() && !known_group)) {
        return InvalidArgument(action.field_id.empty() ? "group_id names no group of fields"
                                                       : "field_id names no field",
                               path + (action.field_id.empty() ? ".group_id" : ".field_id"));
      }
      for (const FormField* target : targets) {
        if (target->signer != trigger->signer) {
          return InvalidArgument("Trigger and action fields must belong to the same signer",
                                 path + (action.field_id.empty() ? ".group_id" : ".field_id"));
        }
      }
    }
  }
  return Status::Ok();
}

std::string FormFieldRulesJson(const std::vector<FormFieldRule>& rules) {
  if (rules.empty()) return "";
  json out = json::array();
  for (const FormFieldRule& r : rules) {
    json trigger = {{"id", r.trigger_id}, {"operator", r.op}};
    if (r.op == "any" || r.op == "none") {
      trigger["values"] = r.values;
    } else {
      trigger["value"] = r.value;
    }
    json actions = json::array();
    for (const FormFieldRuleAction& a : r.actions) {
      json action = {{"hidden", a.hidden}};
      if (a.field_id.empty()) {
        action["type"] = "change-group-visibility";
        action["group_id"] = a.group_id;
      } else {
        action["type"] = "change-field-visibility";
        action["field_id"] = a.field_id;
      }
      actions.push_back(std::move(action));
    }
    out.push_back({{"id", r.id},
                   {"trigger_operator", "AND"},
                   {"triggers", json::array({trigger})},
                   {"actions", std::move(actions)}});
  }
  return DumpJson(out);
}

std::vector<FormFieldRule> RulesOf(const SignatureRequest& request) {
  if (request.form_field_rules_json.empty()) return {};
  auto parsed = ParseFormFieldRules(json::parse(request.form_field_rules_json, nullptr, false));
  return parsed.ok() ? std::move(*parsed) : std::vector<FormFieldRule>();
}

std::set<std::string> HiddenFields(const std::vector<FormField>& fields,
                                   const std::vector<FormFieldRule>& rules,
                                   const std::function<std::string(const FormField&)>& raw) {
  std::map<std::string, bool> hidden;  // api_id -> hidden
  for (const FormFieldRule& rule : rules) {
    for (const FormFieldRuleAction& action : rule.actions) {
      for (const FormField* f : Targets(fields, action)) hidden[f->api_id] |= !action.hidden;
    }
  }
  for (const FormFieldRule& rule : rules) {
    const FormField* trigger = FieldById(fields, rule.trigger_id);
    if (trigger == nullptr) continue;
    const bool trigger_hidden = hidden.count(trigger->api_id) && hidden[trigger->api_id];
    const std::string value = trigger_hidden ? (IsCheck(*trigger) ? "0" : "") : raw(*trigger);
    if (!Holds(rule, value)) continue;
    for (const FormFieldRuleAction& action : rule.actions) {
      for (const FormField* f : Targets(fields, action)) hidden[f->api_id] = action.hidden;
    }
  }
  std::set<std::string> out;
  for (const auto& [api_id, is_hidden] : hidden) {
    if (is_hidden) out.insert(api_id);
  }
  return out;
}

}  // namespace countersign
