#include "store/sql/sql_oauth_rows.h"

#include <string>

#include "store/sql/sql_json.h"

namespace countersign {

StatusOr<Grant> ReadGrant(const SqlStatement& row, int first) {
  Grant grant;
  grant.id = row.Text(first);
  grant.account_id = row.Text(first + 1);
  grant.client_id = row.Text(first + 2);
  CS_ASSIGN_OR_RETURN(grant.scopes, FromJsonList(row.Text(first + 3)));
  grant.created_at = row.Int(first + 4);
  grant.revoked_at = row.Int(first + 5);
  grant.pending = row.Bool(first + 6);
  grant.redirect_uri = row.Text(first + 7);
  return grant;
}

StatusOr<TokenRecord> ReadToken(const SqlStatement& row) {
  TokenRecord token;
  token.token_hash = row.Text(0);
  int64_t kind = row.Int(1);
  if (kind != static_cast<int>(TokenKind::kAccess) &&
      kind != static_cast<int>(TokenKind::kRefresh)) {
    return Internal("stored token has unknown kind " + std::to_string(kind));
  }
  token.kind = static_cast<TokenKind>(kind);
  token.expires_at = row.Int(2);
  token.spent_at = row.Int(3);
  CS_ASSIGN_OR_RETURN(token.grant, ReadGrant(row, 4));
  return token;
}

}  // namespace countersign
