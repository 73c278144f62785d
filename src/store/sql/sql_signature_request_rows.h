// Row mapping for SqlSignatureRequestStore: inserting and loading the rows of one request,
// and the SQL of the list query built from a RequestListFilter. Used inside the store's
// transactions only. Thread-compatible (works on the caller's connection).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "model/signature_request_records.h"
#include "store/sql/sql_connection.h"

namespace countersign {

Status InsertRequestRow(SqlConnection& connection, const SignatureRequest& r);
Status InsertSignatureRow(SqlConnection& connection, const std::string& request_id,
                          const Signature& s);

// Appends `entry` to the request's audit trail (seq = MAX(seq) + 1, under the request's key
// lock so concurrent appends do not pick the same seq).
Status AppendAuditRow(SqlConnection& connection, const std::string& request_id,
                      const AuditEntry& entry);

// The request with its files (sql_file_rows.h) and signatures (in position order). kNotFound when
// absent.
StatusOr<SignatureRequest> LoadRequest(SqlConnection& connection, const std::string& id);

// The list query for a filter: the ids of one page, and the count of every match.
struct ListQuery {
  std::string select_sql;
  std::string count_sql;
  std::vector<std::string> text_params;  // bound as ?1, ?2, ... in order
  int limit = 20;
  int64_t offset = 0;
  bool has_search_terms = false;  // true: count with count_sql, not the counters
};
ListQuery BuildListQuery(const RequestListFilter& filter);
// Binds the text parameters, then LIMIT and OFFSET when the statement has them.
void BindListQuery(SqlStatement& statement, const ListQuery& query);

}  // namespace countersign
