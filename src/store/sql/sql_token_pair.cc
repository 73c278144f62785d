#include "store/sql/sql_token_pair.h"

namespace countersign {

std::string InsertPairSql(std::string_view grant_id, std::string_view pending,
                          std::string_view from, int first) {
  auto param = [first](int i) { return "?" + std::to_string(first + i); };
  const std::string source = from.empty() ? "" : " FROM " + std::string(from);
  const std::string grant_and = ", " + std::string(grant_id) + ", ";
  const std::string and_pending = ", " + std::string(pending);
  return "INSERT INTO oauth_tokens (token_hash, grant_id, kind, expires_at, spent_at, pending) "
         "SELECT " +
         param(0) + grant_and + param(1) + ", " + param(2) + ", 0" + and_pending + source +
         " UNION ALL SELECT " + param(3) + grant_and + param(4) + ", 0, 0" + and_pending + source;
}

void BindPair(SqlStatement& stmt, int first, const TokenPairHashes& tokens) {
  stmt.Bind(first, tokens.access_hash)
      .Bind(first + 1, static_cast<int>(TokenKind::kAccess))
      .Bind(first + 2, tokens.access_expires_at)
      .Bind(first + 3, tokens.refresh_hash)
      .Bind(first + 4, static_cast<int>(TokenKind::kRefresh));
}

Status InsertPair(SqlConnection& connection, const std::string& grant_id, bool pending,
                  const TokenPairHashes& tokens) {
  static const std::string kSql = InsertPairSql("?1", "?7", "", 2);
  CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(kSql));
  stmt.Bind(1, grant_id).Bind(7, pending ? 1 : 0);
  BindPair(stmt, 2, tokens);
  return stmt.Run();
}

}  // namespace countersign
