// The rows naming a record's documents, written once for every table that holds them
// (signature_request_files, draft_files, template_files): each row is one RequestFile — name,
// blob sha256, size, page count and the pages' displayed sizes — at its 0-based position under
// the record's id. Used inside the stores' transactions only. Thread-compatible (works on the
// caller's connection).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "model/signature_request_records.h"
#include "store/sql/sql_connection.h"

namespace countersign {

// A table of file rows and the column holding the id of the record they belong to. Both are
// constants of the code, never input.
struct FileTable {
  const char* table;
  const char* owner_column;
};
inline constexpr FileTable kRequestFiles{"signature_request_files", "request_id"};
inline constexpr FileTable kDraftFiles{"draft_files", "draft_id"};
inline constexpr FileTable kTemplateFiles{"template_files", "template_id"};

// A file's page sizes as stored in a page_sizes column: [[w, h], ...], "" for none; read
// back empty for "" or anything malformed (the readers count such pages as US Letter).
std::string PageSizesJson(const std::vector<DisplayedPageSize>& sizes);
std::vector<DisplayedPageSize> PageSizesFromJson(const std::string& text);

// Inserts `files` as the rows of record `owner_id` in `t`, at positions 0, 1, ... kConflict
// when a row exists already.
Status InsertFileRows(SqlConnection& connection, const FileTable& t, const std::string& owner_id,
                      const std::vector<RequestFile>& files);

// The files of record `owner_id` in `t`, in position order (empty when it has none).
StatusOr<std::vector<RequestFile>> LoadFileRows(SqlConnection& connection, const FileTable& t,
                                                const std::string& owner_id);

}  // namespace countersign
