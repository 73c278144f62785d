// Row mapping for PostgresSignatureRequestStore: inserting and loading the rows of one request,
// and the list query built from a RequestListFilter. Used inside the store's
// transactions only. Thread-compatible (works on the caller's connection).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/postgres/postgres_connection.h"
#include "store/signature_request_records.h"
#include "store/sqlite/sqlite_signature_request_rows.h"

namespace countersign {

Status InsertRequestRow(PostgresConnection& connection, const SignatureRequest& r);
Status InsertFileRow(PostgresConnection& connection, const std::string& request_id, int position,
                     const RequestFile& f);
Status InsertSignatureRow(PostgresConnection& connection, const std::string& request_id,
                          const Signature& s);

// Appends `entry` to the request's audit trail (seq = MAX(seq) + 1, under a transaction-scoped
// lock on the request so concurrent appends do not pick the same seq).
Status AppendAuditRow(PostgresConnection& connection, const std::string& request_id,
                      const AuditEntry& entry);

// The request with its files and signatures (in position order). kNotFound when absent.
StatusOr<SignatureRequest> LoadRequest(PostgresConnection& connection, const std::string& id);

// The list query for a filter (ListQuery, BuildListQuery: shared with the SQLite backend), with
// LIKE made ILIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
ListQuery PostgresListQuery(const RequestListFilter& filter);
// Binds the text parameters, then LIMIT and OFFSET when the statement has them.
void BindListQuery(PostgresStatement& statement, const ListQuery& query);

}  // namespace countersign
