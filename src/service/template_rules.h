// The rules of a template's contents (TemplateService): signer roles, CC roles and merge
// fields at creation; form fields whose `signer` names a role; and how a stored template's
// fields are carried into a request at send time (document and signer indices moved to where
// the template's documents and roles land in the request). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/form_field.h"
#include "model/template_records.h"

namespace countersign {

// At least one signer role; names 1..255 characters, unique (case-sensitive) across signer and
// CC roles; orders not negative and given for every role or none. kInvalidArgument with the
// path (signer_roles[i].name, cc_roles[i], ...).
Status CheckTemplateRoles(const std::vector<TemplateRole>& signer_roles,
                          const std::vector<std::string>& cc_roles);

// Names 1..255 characters and unique; type "text" or "checkbox" (path merge_fields[i].type).
Status CheckMergeFields(const std::vector<TemplateMergeField>& merge_fields);

// A template's form_fields_per_document with each `signer` (a role's 0-based index, as a
// number or text, or a role's name) turned into the index as text; "sender" and "me_now" are
// kept. kInvalidArgument (path form_fields_per_document[i].signer) for any other value.
StatusOr<nlohmann::json> NormalizeTemplateFields(const nlohmann::json& fields,
                                                 const std::vector<TemplateRole>& signer_roles);

// The stored fields of a template moved into a request whose documents start at
// `document_offset` and whose signer for the template's role i is `signer_of_role[i]`.
nlohmann::json RetargetTemplateFields(const nlohmann::json& stored, size_t document_offset,
                                      const std::vector<size_t>& signer_of_role);

// The template's stored form fields, groups and rules, parsed (kInternal for a corrupt row).
StatusOr<nlohmann::json> StoredFieldsJson(const Template& t);
StatusOr<std::vector<FormField>> TemplateFields(const Template& t);
StatusOr<std::vector<FormFieldGroup>> TemplateGroups(const Template& t);
StatusOr<std::vector<FormFieldRule>> TemplateRules(const Template& t);

}  // namespace countersign
