// What signers fill in their form fields, from the signing page to the stored values, the
// request's response_data and the final PDF. The fields a signer fills are of the types text,
// checkbox, radio and dropdown (FillsOnPage); signature, initials and date_signed are filled at
// completion (form_fields.h IsFilledAtCompletion), hyperlinks are only shown.
//
// The signing page posts a signer's values as form keys
//   field[<api_id>]  text and dropdown: the value; checkbox: "1" when checked
//   radio[<group>]   the api_id of the chosen radio button of that group
// CheckSignerValues checks them against the fields (the server-side twin of the page's own
// required / pattern checks) and turns them into the stored JSON object {api_id: text}, where
// checkboxes and radio buttons hold "true" or "false". Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/custom_field.h"
#include "model/form_field.h"
#include "model/response_datum.h"
#include "model/signature_request_records.h"

namespace countersign {

// A signer's submitted values by form key ("field[a1]", "radio[g]").
using SubmittedFields = std::map<std::string, std::string>;

// The most characters a text value may have.
inline constexpr size_t kMaxFieldValueLength = 500;

// The request's form_fields_per_document, parsed from what was stored at send (empty when none,
// or for a request stored before fields were checked whose fields do not parse).
std::vector<FormField> FieldsOf(const SignatureRequest& request);

// Whether the signer fills `field` on the signing page: text, checkbox, radio or dropdown.
bool FillsOnPage(const FormField& field);

// The fields of signer `signer` (0-based), in document order: by document, page, top, left.
std::vector<FormField> FieldsOfSigner(const std::vector<FormField>& fields, int signer);

// The regular expression (ECMAScript, the dialect of the browser's `pattern` attribute too, whose
// `v` mode wants the character classes' punctuation escaped, as the built-in ones do) a text
// field's whole value must match when not empty, or "" when any text goes.
std::string PatternOf(const FormField& field);

// A short description of what PatternOf asks for ("digits only"), or "".
std::string PatternHint(const FormField& field);

// The stored values of `signer`'s fields (JSON object text) from what the page posted.
// kInvalidArgument with path "field[<api_id>]" (or "radio[<group>]") for a key that is not a
// field this signer fills, a required field left empty (a required checkbox unchecked, no
// button of a required radio group chosen), a text over kMaxFieldValueLength characters or
// with control characters, a text not matching PatternOf, or a dropdown value not among its
// options; or (path "group[<group_id>]") checked boxes of a group that do not meet its
// requirement in `groups` (form_field_groups.h; a grouped checkbox's own `required` gives way
// to its group's, and a radio group named in `groups` is required when it says require_1).
// Fields hidden by `rules` (form_field_rules.h, evaluated on the submitted values) are neither
// checked nor kept: stored as "" ("false" for a checkbox). Text is kept as typed (trailing
// spaces trimmed).
StatusOr<std::string> CheckSignerValues(const std::vector<FormField>& fields, int signer,
                                        const SubmittedFields& submitted,
                                        const std::vector<FormFieldGroup>& groups = {},
                                        const std::vector<FormFieldRule>& rules = {});

// `signer`'s stored values: api_id -> text (empty when none).
std::map<std::string, std::string> StoredValues(const Signature& signer);

// One audit line naming the fields `signer` filled ("filled 3 fields: Full name, Company,
// Agree"), or "" when the signer fills none.
std::string FilledFieldsAuditText(const std::vector<FormField>& fields, int signer);

// The request's response_data, in form_fields_per_document order: each field of a signer who
// signed (signature / initials: is_signed; date_signed: the date; text / dropdown: the text;
// checkbox / radio: a boolean), and each merge field with its custom_fields value.
// `fields` and `custom` are the request's (FieldsOf, StoredCustomFields).
std::vector<ResponseDatum> ResponseDataOf(const SignatureRequest& request,
                                          const std::vector<FormField>& fields,
                                          const std::vector<CustomField>& custom);

// ResponseDataOf and custom_fields.h CustomFieldData, from one parse of the request's fields:
// what the request reports.
RequestFieldData FieldDataOf(const SignatureRequest& request);

}  // namespace countersign
