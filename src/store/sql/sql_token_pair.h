// A token pair's two rows in oauth_tokens (the access token with its expiry, then the refresh
// token, both unspent), written one way for every statement that stores a pair: a grant's
// first pair, a rotation's next one, alone or inside a larger statement.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/records.h"
#include "store/sql/sql_connection.h"

namespace countersign {

// `INSERT INTO oauth_tokens` of the pair's two rows, the grant id taken from `grant_id` and the
// rows' `pending` (1 while their grant waits for consent, else 0; migration 0019) from
// `pending` — each a parameter, a literal or a column of the `from` clause, e.g. a CTE; `from`
// may be empty — and the pair from the five parameters ?first .. ?first+4 that BindPair binds.
std::string InsertPairSql(std::string_view grant_id, std::string_view pending,
                          std::string_view from, int first);

// Binds `tokens` to InsertPairSql's parameters ?first .. ?first+4.
void BindPair(SqlStatement& stmt, int first, const TokenPairHashes& tokens);

// Inserts the pair under `grant_id` in one statement, inside the caller's transaction, pending
// when the grant is.
Status InsertPair(SqlConnection& connection, const std::string& grant_id, bool pending,
                  const TokenPairHashes& tokens);

}  // namespace countersign
