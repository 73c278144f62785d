#include "store/sql/sql_oauth_store.h"

#include "store/sql/sql_json.h"
#include "store/sql/sql_mark_time.h"
#include "store/sql/sql_oauth_rows.h"
#include "store/sql/sql_token_pair.h"

namespace countersign {
namespace {

// Lists the account's unrevoked grants with pending = `pending`, newest first.
StatusOr<std::vector<Grant>> ListGrants(SqlConnection& connection, const std::string& account_id,
                                        bool pending) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare(std::string("SELECT ") + kGrantColumns +
                                         " FROM oauth_grants g WHERE g.account_id = ?1 AND "
                                         "g.revoked_at = 0 AND g.pending = ?2 "
                                         "ORDER BY g.created_at DESC, g.id DESC"));
  stmt.Bind(1, account_id).Bind(2, pending);
  std::vector<Grant> grants;
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    CS_ASSIGN_OR_RETURN(Grant grant, ReadGrant(stmt, 0));
    grants.push_back(std::move(grant));
  }
  return grants;
}

}  // namespace

Status InsertGrant(SqlConnection& connection, const Grant& grant, const TokenPairHashes& tokens,
                   const std::string& code_hash) {
  constexpr char kInsertGrant[] =
      "INSERT INTO oauth_grants (id, account_id, client_id, scopes, created_at, revoked_at, "
      "pending, redirect_uri) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  constexpr char kLinkCode[] = "UPDATE oauth_codes SET grant_id = ?1 WHERE code_hash = ?14";
  const bool one_statement = connection.dialect().WritesInCtes();
  std::string sql = kInsertGrant;
  if (one_statement) {  // the grant, its code and its two tokens in one round trip
    sql = std::string("WITH g AS (") + kInsertGrant + " RETURNING id)" +
          (code_hash.empty() ? "" : std::string(", c AS (") + kLinkCode + ")") + " " +
          InsertPairSql("id", "?7", "g", 9);
  }
  CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql));
  stmt.Bind(1, grant.id)
      .Bind(2, grant.account_id)
      .Bind(3, grant.client_id)
      .Bind(4, ToJsonList(grant.scopes))
      .Bind(5, grant.created_at)
      .Bind(6, grant.revoked_at)
      .Bind(7, grant.pending)
      .Bind(8, grant.redirect_uri);
  if (one_statement) {
    BindPair(stmt, 9, tokens);
    if (!code_hash.empty()) stmt.Bind(14, code_hash);
    return stmt.Run();
  }
  CS_RETURN_IF_ERROR(stmt.Run());
  CS_RETURN_IF_ERROR(InsertPair(connection, grant.id, grant.pending, tokens));
  if (code_hash.empty()) return Status::Ok();
  CS_ASSIGN_OR_RETURN(auto link, connection.Prepare(kLinkCode));
  link.Bind(1, grant.id).Bind(14, code_hash);
  return link.Run();
}

Status SqlOAuthStore::InsertCode(const AuthCode& code) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("INSERT INTO oauth_codes (code_hash, client_id, "
                                           "account_id, redirect_uri, state, scopes, expires_at, "
                                           "used_at, grant_id, code_challenge) VALUES (?1, ?2, ?3, "
                                           "?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    stmt.Bind(1, code.code_hash)
        .Bind(2, code.client_id)
        .Bind(3, code.account_id)
        .Bind(4, code.redirect_uri)
        .Bind(5, code.state)
        .Bind(6, ToJsonList(code.scopes))
        .Bind(7, code.expires_at)
        .Bind(8, code.used_at)
        .Bind(9, code.grant_id)
        .Bind(10, code.code_challenge);
    return stmt.Run();
  });
}

StatusOr<CodeRedemption> SqlOAuthStore::RedeemCode(const std::string& code_hash, int64_t now,
                                                   const GrantForCode& issue) {
  static constexpr char kCodeColumns[] =
      "code_hash, client_id, account_id, redirect_uri, state, scopes, expires_at, used_at, "
      "grant_id, code_challenge";
  return db_->Write([&](SqlConnection& connection) -> StatusOr<CodeRedemption> {
    CodeRedemption result;
    // The usual case, a first use, in one statement; a code used before is read as it is.
    CS_ASSIGN_OR_RETURN(auto mark,
                        connection.Prepare(std::string("UPDATE oauth_codes SET used_at = ?2 "
                                                       "WHERE code_hash = ?1 AND used_at = 0 "
                                                       "RETURNING ") +
                                           kCodeColumns));
    mark.Bind(1, code_hash).Bind(2, MarkTime(now));
    CS_ASSIGN_OR_RETURN(result.first_use, mark.Step());
    auto read_row = [&](SqlStatement& stmt) -> Status {
      AuthCode& code = result.code;
      code.code_hash = stmt.Text(0);
      code.client_id = stmt.Text(1);
      code.account_id = stmt.Text(2);
      code.redirect_uri = stmt.Text(3);
      code.state = stmt.Text(4);
      CS_ASSIGN_OR_RETURN(code.scopes, FromJsonList(stmt.Text(5)));
      code.expires_at = stmt.Int(6);
      code.used_at = result.first_use ? 0 : stmt.Int(7);  // as it was before this call
      code.grant_id = stmt.Text(8);
      code.code_challenge = stmt.Text(9);
      return Status::Ok();
    };
    if (!result.first_use) {
      CS_ASSIGN_OR_RETURN(auto read, connection.Prepare(std::string("SELECT ") + kCodeColumns +
                                                        " FROM oauth_codes WHERE code_hash = ?1"));
      read.Bind(1, code_hash);
      CS_ASSIGN_OR_RETURN(bool found, read.Step());
      if (!found) return NotFound("Code not found.");
      CS_RETURN_IF_ERROR(read_row(read));
      if (result.code.grant_id.empty()) return result;  // its first use issued nothing
      Status revoked = RevokeGrantIn(connection, result.code.grant_id, now);
      if (!revoked.ok() && revoked.code() != Code::kNotFound) return revoked;
      return result;
    }
    CS_RETURN_IF_ERROR(read_row(mark));
    if (!issue) return result;
    StatusOr<PendingGrant> issued = issue(result.code);
    if (!issued.ok()) {
      result.issued = issued.status();
      return result;
    }
    CS_RETURN_IF_ERROR(InsertGrant(connection, issued->grant, issued->tokens, code_hash));
    result.code.grant_id = issued->grant.id;
    return result;
  });
}

Status SqlOAuthStore::CreateGrant(const Grant& grant, const TokenPairHashes& tokens) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    return InsertGrant(connection, grant, tokens, "");
  });
}

Status SqlOAuthStore::RotateRefresh(const std::string& old_refresh_hash, int64_t now,
                                    const TokenPairHashes& next) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    return Rotate(connection, old_refresh_hash, now, next);
  });
}

void SqlOAuthStore::RotateRefreshAsync(std::string old_refresh_hash, int64_t now,
                                       TokenPairHashes next, std::function<void(Status)> done) {
  db_->WriteOneStatementAsync(
      [old_refresh_hash = std::move(old_refresh_hash), now,
       next = std::move(next)](SqlConnection& connection) -> Status {
        return Rotate(connection, old_refresh_hash, now, next);
      },
      std::move(done));
}

Status SqlOAuthStore::Rotate(SqlConnection& connection, const std::string& old_refresh_hash,
                             int64_t now, const TokenPairHashes& next) {
  // Spends the token if it is an unspent refresh token of a grant still in force, and gives its
  // grant. The grant is looked up by its key (a correlated EXISTS): an uncorrelated
  // `grant_id IN (SELECT id ... WHERE revoked_at = 0)` made SQLite list every unrevoked grant
  // on each rotation. The new pair is stored as not pending: the service never rotates a
  // refresh token of a grant that waits for consent (OAuthService::CheckRefresh refuses it).
  static constexpr char kSpend[] =
      "UPDATE oauth_tokens SET spent_at = ?2 WHERE token_hash = ?1 AND kind = ?3 AND "
      "spent_at = 0 AND EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = "
      "oauth_tokens.grant_id AND g.revoked_at = 0) RETURNING grant_id";
  bool rotated = false;
  if (connection.dialect().WritesInCtes()) {
    // Spend and store the new pair in one statement, so that it commits by itself.
    CS_ASSIGN_OR_RETURN(auto rotate,
                        connection.Prepare(std::string("WITH spent AS (") + kSpend + ") " +
                                           InsertPairSql("grant_id", "0", "spent", 4)));
    rotate.Bind(1, old_refresh_hash)
        .Bind(2, MarkTime(now))
        .Bind(3, static_cast<int>(TokenKind::kRefresh));
    BindPair(rotate, 4, next);
    CS_RETURN_IF_ERROR(rotate.Run());
    rotated = connection.Changes() == 2;
  } else {
    CS_ASSIGN_OR_RETURN(auto spend, connection.Prepare(kSpend));
    spend.Bind(1, old_refresh_hash)
        .Bind(2, MarkTime(now))
        .Bind(3, static_cast<int>(TokenKind::kRefresh));
    CS_ASSIGN_OR_RETURN(bool spent, spend.Step());
    if (spent) {
      const std::string grant_id = spend.Text(0);
      CS_RETURN_IF_ERROR(InsertPair(connection, grant_id, /*pending=*/false, next));
      rotated = true;
    }
  }
  if (rotated) return Status::Ok();
  // Why not: unknown, revoked, or used before, perhaps by this very rotation when it runs again
  // after its connection was lost (then its new pair is there).
  CS_ASSIGN_OR_RETURN(auto find,
                      connection.Prepare("SELECT g.revoked_at, CASE WHEN EXISTS (SELECT 1 FROM "
                                         "oauth_tokens n WHERE n.token_hash = ?3 AND n.grant_id = "
                                         "g.id) THEN 1 ELSE 0 END FROM oauth_tokens t JOIN "
                                         "oauth_grants g ON g.id = t.grant_id WHERE "
                                         "t.token_hash = ?1 AND t.kind = ?2"));
  find.Bind(1, old_refresh_hash)
      .Bind(2, static_cast<int>(TokenKind::kRefresh))
      .Bind(3, next.access_hash);
  CS_ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return NotFound("Refresh token not found.");
  if (find.Bool(1)) return Status::Ok();
  if (find.Int(0) != 0) return Status(Code::kConflict, "The grant was revoked.");
  return Status(Code::kConflict, "The refresh token was already used.");
}

Status SqlOAuthStore::RevokeGrantIn(SqlConnection& connection, const std::string& grant_id,
                                    int64_t now) {
  {
    CS_ASSIGN_OR_RETURN(auto revoke, connection.Prepare("UPDATE oauth_grants SET revoked_at = ?2 "
                                                        "WHERE id = ?1 AND revoked_at = 0"));
    revoke.Bind(1, grant_id).Bind(2, MarkTime(now));
    CS_RETURN_IF_ERROR(revoke.Run());
    if (connection.Changes() == 1) return Status::Ok();
  }
  CS_ASSIGN_OR_RETURN(auto exists, connection.Prepare("SELECT 1 FROM oauth_grants WHERE id = ?1"));
  exists.Bind(1, grant_id);
  CS_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return NotFound("Grant not found.");
  return Status::Ok();  // already revoked
}

Status SqlOAuthStore::RevokeGrant(const std::string& grant_id, int64_t now) {
  return db_->Write(
      [&](SqlConnection& connection) { return RevokeGrantIn(connection, grant_id, now); });
}

StatusOr<int> SqlOAuthStore::RevokeGrantsFor(const std::string& account_id,
                                             const std::string& client_id, int64_t now) {
  return RevokeWhere(account_id, client_id, now, /*pending_only=*/false);
}

StatusOr<std::vector<Grant>> SqlOAuthStore::ListActiveGrants(const std::string& account_id) {
  return db_->Read([&](SqlConnection& connection) {
    return ListGrants(connection, account_id, /*pending=*/false);
  });
}

StatusOr<std::vector<Grant>> SqlOAuthStore::ListPendingGrants(const std::string& account_id) {
  return db_->Read([&](SqlConnection& connection) {
    return ListGrants(connection, account_id, /*pending=*/true);
  });
}

StatusOr<int> SqlOAuthStore::ActivatePendingGrants(const std::string& account_id,
                                                   const std::string& client_id,
                                                   int64_t access_expires_at) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<int> {
    // The grants first, and then the tokens of exactly those: on PostgreSQL (READ COMMITTED)
    // a pending grant committed between two statements is then either activated with its
    // tokens or left pending with them.
    std::vector<std::string> activated;
    {
      CS_ASSIGN_OR_RETURN(auto activate,
                          connection.Prepare("UPDATE oauth_grants SET pending = 0 "
                                             "WHERE account_id = ?1 AND client_id = ?2 AND "
                                             "pending = 1 AND revoked_at = 0 RETURNING id"));
      activate.Bind(1, account_id).Bind(2, client_id);
      while (true) {
        CS_ASSIGN_OR_RETURN(bool row, activate.Step());
        if (!row) break;
        activated.push_back(activate.Text(0));
      }
    }
    for (const std::string& grant_id : activated) {
      CS_ASSIGN_OR_RETURN(auto tokens,
                          connection.Prepare("UPDATE oauth_tokens SET expires_at = CASE WHEN "
                                             "kind = ?2 THEN ?3 ELSE expires_at END, pending = 0 "
                                             "WHERE pending = 1 AND grant_id = ?1"));
      tokens.Bind(1, grant_id)
          .Bind(2, static_cast<int>(TokenKind::kAccess))
          .Bind(3, access_expires_at);
      CS_RETURN_IF_ERROR(tokens.Run());
    }
    return static_cast<int>(activated.size());
  });
}

StatusOr<int> SqlOAuthStore::RevokePendingGrants(const std::string& account_id,
                                                 const std::string& client_id, int64_t now) {
  return RevokeWhere(account_id, client_id, now, /*pending_only=*/true);
}

StatusOr<int> SqlOAuthStore::RevokeWhere(const std::string& account_id,
                                         const std::string& client_id, int64_t now,
                                         bool pending_only) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<int> {
    CS_ASSIGN_OR_RETURN(auto revoke,
                        connection.Prepare(std::string("UPDATE oauth_grants SET revoked_at = ?3 "
                                                       "WHERE account_id = ?1 AND client_id = ?2 "
                                                       "AND revoked_at = 0") +
                                           (pending_only ? " AND pending = 1" : "")));
    revoke.Bind(1, account_id).Bind(2, client_id).Bind(3, MarkTime(now));
    CS_RETURN_IF_ERROR(revoke.Run());
    return static_cast<int>(connection.Changes());
  });
}

}  // namespace countersign
