// The rules of form_fields_per_document at send time: each field's shape (ParseFormFields),
// what it points at (CheckFieldTargets: signer, document, api_id, validation regex) and where
// it sits (CheckFieldPlacement: on its page, not over another field), each failure a
// kInvalidArgument whose path names the field ("form_fields_per_document[2].signer"). And
// FormFieldWarnings: the fields Countersign accepts but does not act on yet, so a sender is
// told instead of finding out from a finished document; and how the fields filled at completion
// get their values (what signers fill is in field_values.h). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/form_field.h"
#include "model/signature_request_records.h"
#include "pdf/pdf_inspector.h"

namespace countersign {

// The fields of a form_fields_per_document array (its JSON value). Numbers may also come as
// numeric text (multipart senders); booleans as true/false/1/0. Required keys: document_index,
// api_id, type, required, signer, width, height, x, y. Unknown types, negative coordinates,
// empty sizes and wrong value types are refused.
StatusOr<std::vector<FormField>> ParseFormFields(const nlohmann::json& fields);

// Each field's signer is a signer of the request (0 .. signer_count - 1; "sender" for the merge
// types; "me_now", the preparer, for any), its document_index one of the `document_count` files,
// its api_id unique, and a custom_regex validation names a regular expression that compiles.
Status CheckFieldTargets(const std::vector<FormField>& fields, size_t signer_count,
                         size_t document_count);

// Each field lies on an existing page of its document (`pages[document_index]`), inside the
// page, and over no other field of that page.
Status CheckFieldPlacement(const std::vector<FormField>& fields,
                           const std::vector<std::vector<PageBox>>& pages);

// The fields filled without asking the signer, at completion: `signature` (the signer's mark),
// `initials` (from it) and `date_signed` (the signing date), each of a signer of the request.
bool IsFilledAtCompletion(const FormField& field);

// One message per field the request will not act on: the fields of the preparer ("me_now").
std::vector<std::string> FormFieldWarnings(const std::vector<FormField>& fields);

// Whether `field` is a merge field (text-merge, checkbox-merge): filled by the sender through
// custom_fields, not by a signer.
bool IsMergeField(const FormField& field);

// The 0-based signer index of `field`, or -1 for "sender" / "me_now".
int SignerIndexOf(const FormField& field);

// The text of a date_signed field: `signed_at` (unix seconds, UTC) in field_options'
// `date_format` (one of Dropbox Sign's: "MM / DD / YYYY" (the default), "MM - DD - YYYY",
// "DD / MM / YYYY", "DD - MM - YYYY", "YYYY / MM / DD", "YYYY - MM - DD"); `field_options_json`
// is the stored field_options object text (may be empty).
std::string DateSignedText(int64_t signed_at, const std::string& field_options_json);
// One of those date formats, written exactly.
bool IsDateFormat(const std::string& format);

}  // namespace countersign
