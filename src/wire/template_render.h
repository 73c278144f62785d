// Renders a template as the Dropbox Sign `template` object (TemplateResponse in openapi.yaml):
// roles, documents with their form fields and merge (custom) fields, and the accounts that can
// use it. Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "model/form_field.h"
#include "model/records.h"
#include "model/template_records.h"

namespace countersign::wire {

struct TemplateRenderInput {
  const Template& tmpl;
  const std::vector<FormField>& fields;       // the template's, `signer` = a role's index
  const std::vector<FormFieldGroup>& groups;  // its form_field_groups
  const std::vector<Account>& accounts;       // the owner, then those it is shared with
  bool is_creator = false;
  bool can_edit = false;
};

nlohmann::json RenderTemplate(const TemplateRenderInput& in);

}  // namespace countersign::wire
