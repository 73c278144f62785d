// The rules of form_fields_per_document at send time: each field's shape (ParseFormFields),
// what it points at (CheckFieldTargets: signer, document, api_id, validation regex) and where
// it sits (CheckFieldPlacement: on its page, not over another field), each failure a
// kInvalidArgument whose path names the field ("form_fields_per_document[2].signer"). And
// FormFieldWarnings: the fields Countersign accepts but does not act on yet, so a sender is
// told instead of finding out from a finished document. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/form_field.h"
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

// One message per field the request will not act on: every type but `signature`, and any
// signature field of a signer after their first (only one signature is stamped per signer).
std::vector<std::string> FormFieldWarnings(const std::vector<FormField>& fields);

}  // namespace countersign
