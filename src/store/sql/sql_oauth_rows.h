// The columns of OAuth grant and token rows and their readers, shared by SqlOAuthStore's files
// (sql_oauth_store.cc, sql_oauth_token_reads.cc).
#pragma once

#include "core/status.h"
#include "model/records.h"
#include "store/sql/sql_statement.h"

namespace countersign {

inline constexpr char kGrantColumns[] =
    "g.id, g.account_id, g.client_id, g.scopes, g.created_at, "
    "g.revoked_at, g.pending, g.redirect_uri";
inline constexpr int kGrantColumnCount = 8;

// A token joined with its grant: kTokenSelect + kGrantColumns + kTokenJoin + "WHERE ...".
inline constexpr char kTokenSelect[] = "SELECT t.token_hash, t.kind, t.expires_at, t.spent_at, ";
inline constexpr char kTokenJoin[] =
    " FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id ";

// Reads the kGrantColumnCount kGrantColumns starting at column `first`.
StatusOr<Grant> ReadGrant(const SqlStatement& row, int first);
// Reads a row of kTokenSelect followed by kGrantColumns.
StatusOr<TokenRecord> ReadToken(const SqlStatement& row);

}  // namespace countersign
