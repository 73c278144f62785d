// SqlOAuthStore's reads of one token with its grant, alone or with what the grant names joined
// in (its account, its app): one statement each.
#include <utility>

#include "store/sql/sql_account_store.h"
#include "store/sql/sql_app_store.h"
#include "store/sql/sql_oauth_rows.h"
#include "store/sql/sql_oauth_store.h"

namespace countersign {
namespace {

// The first column a token query joins in after kTokenSelect and kGrantColumns.
constexpr int kFirstJoinedColumn = 4 + kGrantColumnCount;

// Runs `sql` (kTokenSelect + kGrantColumns [+ joined columns] + kTokenJoin [+ joins] +
// "WHERE t.token_hash = ?1") for `token_hash` in one read: kNotFound when no row, else what
// `read` makes of the row.
template <typename Read>
auto FindTokenRow(SqlDatabase& db, const std::string& sql, const std::string& token_hash, Read read)
    -> decltype(read(std::declval<const SqlStatement&>())) {
  using Out = decltype(read(std::declval<const SqlStatement&>()));
  return db.Read([&](SqlConnection& connection) -> Out {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql));
    stmt.Bind(1, token_hash);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Token not found.");
    return read(stmt);
  });
}

}  // namespace

StatusOr<TokenRecord> SqlOAuthStore::FindToken(const std::string& token_hash) {
  static const std::string kSql =
      std::string(kTokenSelect) + kGrantColumns + kTokenJoin + "WHERE t.token_hash = ?1";
  return FindTokenRow(*db_, kSql, token_hash, ReadToken);
}

StatusOr<TokenWithAccount> SqlOAuthStore::FindTokenWithAccount(const std::string& token_hash) {
  static const std::string kSql = std::string(kTokenSelect) + kGrantColumns + ", " +
                                  kAccountColumns + kTokenJoin +
                                  "LEFT JOIN accounts a ON a.id = g.account_id "
                                  "WHERE t.token_hash = ?1";
  return FindTokenRow(*db_, kSql, token_hash,
                      [](const SqlStatement& row) -> StatusOr<TokenWithAccount> {
                        TokenWithAccount out;
                        CS_ASSIGN_OR_RETURN(out.token, ReadToken(row));
                        if (!row.IsNull(kFirstJoinedColumn)) {
                          out.account = ReadAccount(row, kFirstJoinedColumn);
                        }
                        return out;
                      });
}

StatusOr<TokenWithApp> SqlOAuthStore::FindTokenWithApp(const std::string& token_hash) {
  static const std::string kSql = std::string(kTokenSelect) + kGrantColumns + ", " + kAppColumns +
                                  kTokenJoin +
                                  "LEFT JOIN api_apps p ON p.client_id = g.client_id "
                                  "WHERE t.token_hash = ?1";
  return FindTokenRow(*db_, kSql, token_hash,
                      [](const SqlStatement& row) -> StatusOr<TokenWithApp> {
                        TokenWithApp out;
                        CS_ASSIGN_OR_RETURN(out.token, ReadToken(row));
                        if (!row.IsNull(kFirstJoinedColumn)) {
                          CS_ASSIGN_OR_RETURN(out.app, ReadApp(row, kFirstJoinedColumn));
                        }
                        return out;
                      });
}

}  // namespace countersign
