// The sender's custom_fields (SubCustomField): values for the merge fields (text-merge,
// checkbox-merge) of form_fields_per_document whose `name` is the custom field's name. Parsed
// and checked at send, stored as sent, echoed in the request as custom_fields, shown on the
// signing page and stamped into the final PDF. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/custom_field.h"
#include "model/form_field.h"
#include "model/signature_request_records.h"

namespace countersign {

// The custom_fields array (its JSON value; an object is taken as one entry, as the SDKs'
// multipart form sends them as a JSON text). Each entry needs a `name` (1..200 characters,
// unique); `value` is text (numbers and booleans are taken as text); `required` needs an
// `editor`. kInvalidArgument with path "custom_fields[i].<key>".
StatusOr<std::vector<CustomField>> ParseCustomFields(const nlohmann::json& fields);

// The JSON text stored for `fields` (empty for none).
std::string CustomFieldsJson(const std::vector<CustomField>& fields);

// The request's stored custom fields.
std::vector<CustomField> StoredCustomFields(const SignatureRequest& request);

// The value `custom` gives the merge field `field` (by name), or none: for a checkbox-merge
// "true" or "false"; for a text-merge the text.
std::optional<std::string> MergeValueOf(const FormField& field,
                                        const std::vector<CustomField>& custom);

// What a request with these form fields and custom fields reports as custom_fields: each custom
// field, typed by the merge field it fills (checkbox for a checkbox-merge, text otherwise).
std::vector<CustomFieldDatum> CustomFieldData(const std::vector<FormField>& fields,
                                              const std::vector<CustomField>& custom);

// One message per custom field Countersign does not act on (a name no merge field has, an
// editor: editable merge fields are not supported) and per merge field no custom field fills.
std::vector<std::string> CustomFieldWarnings(const std::vector<CustomField>& custom,
                                             const std::vector<FormField>& fields);

}  // namespace countersign
