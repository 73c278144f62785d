// SqlOAuthStore::DeleteStale: the housekeeping's removal of OAuth rows no request can use any
// more, as SweepKeyRanges over oauth_tokens and oauth_codes (the rules: OAuthStaleRows).
#include "store/sql/sql_key_range_sweep.h"
#include "store/sql/sql_oauth_store.h"

namespace countersign {

StatusOr<int> SqlOAuthStore::DeleteStale(const OAuthStaleRows& stale) {
  const std::string access = std::to_string(static_cast<int>(TokenKind::kAccess));
  const std::string refresh = std::to_string(static_cast<int>(TokenKind::kRefresh));
  KeyRangeSweep tokens;
  tokens.table = "oauth_tokens";
  tokens.key = "token_hash";
  tokens.condition =
      "(t.kind = " + access +
      " AND t.expires_at <> 0 AND t.expires_at < ?3 AND EXISTS (SELECT 1 FROM oauth_grants g "
      "WHERE g.id = t.grant_id AND g.pending = 0)) OR (t.kind = " +
      refresh +
      " AND t.spent_at <> 0 AND t.spent_at < ?4) OR EXISTS (SELECT 1 FROM oauth_grants g WHERE "
      "g.id = t.grant_id AND g.revoked_at <> 0 AND g.revoked_at < ?5)";
  tokens.bind = [&stale](SqlStatement& statement) {
    statement.Bind(3, stale.access_expired_before)
        .Bind(4, stale.spent_before)
        .Bind(5, stale.revoked_before);
  };
  tokens.chunk_rows = stale.chunk_rows;
  CS_ASSIGN_OR_RETURN(int removed, SweepKeyRanges(*db_, tokens));

  KeyRangeSweep codes;
  codes.table = "oauth_codes";
  codes.key = "code_hash";
  codes.condition = "t.expires_at < ?3";
  codes.bind = [&stale](SqlStatement& statement) { statement.Bind(3, stale.codes_expired_before); };
  codes.chunk_rows = stale.chunk_rows;
  CS_ASSIGN_OR_RETURN(int codes_removed, SweepKeyRanges(*db_, codes));
  return removed + codes_removed;
}

}  // namespace countersign
