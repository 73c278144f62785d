// Text tags as form fields (use_text_tags / hide_text_tags at send; docs/text-tags.md): what a
// tag found in a document (pdf/text_tags.h) asks for, the form_fields_per_document entry it
// becomes, and the send step that reads every document's tags, checks their fields together
// with the sender's form_fields_per_document and, when asked, stores the documents without the
// tags' text. Every failure is a kInvalidArgument whose path is the document ("files[0]") and
// whose message names the tag. Thread-safe (no shared state).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "files/blob_store.h"
#include "model/form_field.h"
#include "model/signature_request_records.h"
#include "pdf/pdf_inspector.h"
#include "pdf/text_tags.h"

namespace countersign {

// The form_fields_per_document entry of `tag`, the `ordinal`-th (1-based) tag of document
// `document_index`. Grammar: [type|req|signerN] or [type|req|signerN|label|api_id] or
// [type|req|signerN|label|api_id|validation_type]; the label is trimmed, the other parts lose
// every space, type/req/signer are read case-insensitively. Types: sig → signature, initial →
// initials, text, date → date_signed, check → checkbox, text-merge, checkbox-merge. "noreq" makes
// the field optional, anything else required (as Dropbox Sign). signerN is the N-th signer
// (1-based; at most `signer_count`), "sender" is allowed for the merge types. An empty or missing
// api_id becomes "texttag_<document_index>_<ordinal>"; the label is the field's name. A
// validation_type (text fields only) is one of form_fields_per_document's, custom_regex excepted.
StatusOr<nlohmann::json> TextTagFieldJson(const TextTag& tag, int document_index, int ordinal,
                                          size_t signer_count, const std::string& path);

// The send step for use_text_tags: reads the tags of each stored document of `files` (its path
// for errors: `document_paths[i]`), turns them into fields, checks all fields (the sender's
// `form_fields` first, then the tags', CheckFieldTargets and CheckFieldPlacement over `pages`)
// and, when `hide`, replaces each document that has tags by a copy without their text
// (HideTextTags; files[i].sha256 and size change). Returns the form_fields_per_document JSON
// text to store: `form_fields_json` (the sender's array as sent, may be empty) followed by the
// tags' entries; `form_fields_json` unchanged when no document has a tag.
StatusOr<std::string> ApplyTextTags(BlobStore& blobs, std::vector<RequestFile>& files,
                                    const std::vector<std::string>& document_paths,
                                    const std::vector<FormField>& form_fields,
                                    const std::string& form_fields_json, size_t signer_count,
                                    const std::vector<std::vector<PageBox>>& pages, bool hide);

}  // namespace countersign
