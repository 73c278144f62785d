// Parses the `query` parameter of /signature_request/list (Dropbox Sign search syntax, the
// subset we support): space-separated terms; `title:x`, `to:email`, `from:email`, other words
// match title, subject, message or a signer; `AND` is ignored; quotes group words.
// Pure; thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "model/signature_request_records.h"

namespace countersign {

// Fills the search fields of `filter`. kInvalidArgument (path "query") for an empty field
// value ("to:") or more than 20 terms.
Status ParseListQuery(const std::string& query, RequestListFilter& filter);

}  // namespace countersign
