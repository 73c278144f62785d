// FormField: one entry of a request's form_fields_per_document, as Dropbox Sign defines it
// (SubFormFieldsPerDocument* in openapi.yaml). A value type; service/form_fields.h parses and
// checks it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace countersign {

struct FormField {
  int index = 0;           // position in form_fields_per_document (for error paths)
  int document_index = 0;  // into the request's files / file_urls
  std::string api_id;      // unique across the request
  std::string name;
  std::string type;  // signature, initials, text, date_signed, checkbox, radio, dropdown,
                     // hyperlink, text-merge, checkbox-merge
  bool required = false;
  std::string signer;       // a 0-based signer index as text, or "sender" / "me_now"
  std::optional<int> page;  // 1-based; none: page 1
  // PDF points from the top-left corner of the page as displayed.
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  // Type-specific (empty / none when not given).
  std::string validation_type;
  std::string validation_custom_regex;
  std::string group;                 // radio: the group's name
  std::vector<std::string> options;  // dropdown
  std::string content;               // dropdown default, hyperlink text
  std::string content_url;           // hyperlink: where it leads (http or https)
  bool is_checked = false;           // checkbox, radio, checkbox-merge: checked at first
  std::string placeholder;           // text: the hint shown while empty
  bool masked = false;               // text: hidden on the page and in the final PDF
  std::string auto_fill_type;        // text: e.g. "name", "email" (prefilled from the signer)
  std::string font_family;           // text, dropdown, merge: as sent (the finalizer maps it)
  int font_size = 0;                 // points; 0: fit the box (at most 12)
};

// One entry of form_field_groups (SubFormFieldGroup): how many of the checkboxes (or radio
// buttons) whose `group` is `group_id` the signer must check.
struct FormFieldGroup {
  std::string group_id;
  std::string label;
  std::string requirement;  // require_0-1, require_1, require_1-ormore or require_0-ormore
};

// One entry of form_field_rules (SubFormFieldRule): when the trigger field's value satisfies
// `op`, each action shows or hides a field or a group.
struct FormFieldRuleAction {
  std::string field_id;  // an api_id, or
  std::string group_id;  // a form_field_groups / radio group id
  bool hidden = false;   // hide (true) or show (false) the target when the rule holds
};

struct FormFieldRule {
  std::string id;
  std::string trigger_id;           // api_id of the trigger field
  std::string op;                   // is, not, match (text), any, none (dropdown)
  std::string value;                // is / not / match
  std::vector<std::string> values;  // any / none
  std::vector<FormFieldRuleAction> actions;
};

}  // namespace countersign
