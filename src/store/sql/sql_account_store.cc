#include "store/sql/sql_account_store.h"

#include "store/sql/sql_like.h"

namespace countersign {

const char kAccountColumns[] =
    "a.id, a.email, a.password_hash, a.api_key_hash, a.api_key_hint, a.callback_url, a.locale, "
    "a.is_locked, a.email_confirmed, a.created_at, a.api_key_sealed, a.is_admin";

Account ReadAccount(const SqlStatement& row, int first) {
  Account account;
  account.id = row.Text(first);
  account.email = row.Text(first + 1);
  account.password_hash = row.Text(first + 2);
  account.api_key_hash = row.Text(first + 3);
  account.api_key_hint = row.Text(first + 4);
  if (!row.IsNull(first + 5)) account.callback_url = row.Text(first + 5);
  account.locale = row.Text(first + 6);
  account.is_locked = row.Bool(first + 7);
  account.email_confirmed = row.Bool(first + 8);
  account.created_at = row.Int(first + 9);
  account.api_key_sealed = row.Text(first + 10);
  account.is_admin = row.Bool(first + 11);
  return account;
}

namespace {

// Binds the mutable columns as ?2..?9, ?11 and ?12 (id is ?1, created_at ?10 on insert).
void BindMutable(SqlStatement& stmt, const Account& account) {
  stmt.Bind(2, account.email)
      .Bind(3, account.password_hash)
      .Bind(4, account.api_key_hash)
      .Bind(5, account.api_key_hint);
  if (account.callback_url.has_value()) {
    stmt.Bind(6, *account.callback_url);
  } else {
    stmt.BindNull(6);
  }
  stmt.Bind(7, account.locale).Bind(8, account.is_locked).Bind(9, account.email_confirmed);
  stmt.Bind(11, account.api_key_sealed).Bind(12, account.is_admin);
}

// A unique violation on the email becomes the caller-facing conflict; others pass through.
Status MapConflict(Status status) {
  if (IsUniqueViolation(status, "accounts_email")) {
    return Status(Code::kConflict, "An account with this email address already exists",
                  "email_address");
  }
  return status;
}

}  // namespace

Status InsertAccount(SqlConnection& connection, const Account& account) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("INSERT INTO accounts (id, email, password_hash, "
                                         "api_key_hash, api_key_hint, callback_url, locale, "
                                         "is_locked, email_confirmed, created_at, "
                                         "api_key_sealed, is_admin) VALUES (?1, ?2, ?3, ?4, "
                                         "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  stmt.Bind(1, account.id).Bind(10, account.created_at);
  BindMutable(stmt, account);
  return MapConflict(stmt.Run());
}

Status SqlAccountStore::Create(const Account& account) {
  return db_->Write(
      [&](SqlConnection& connection) -> Status { return InsertAccount(connection, account); });
}

StatusOr<Account> SqlAccountStore::FindOne(const std::string& column, const std::string& value) {
  // `column` is one of this file's literals, never user input.
  std::string sql =
      std::string("SELECT ") + kAccountColumns + " FROM accounts a WHERE a." + column + " = ?1";
  return db_->Read([&](SqlConnection& connection) -> StatusOr<Account> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql));
    stmt.Bind(1, value);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Account not found.");
    return ReadAccount(stmt, 0);
  });
}

StatusOr<Account> SqlAccountStore::FindById(const std::string& id) { return FindOne("id", id); }

StatusOr<Account> SqlAccountStore::FindByEmail(const std::string& email) {
  return FindOne("email", email);
}

StatusOr<Account> SqlAccountStore::FindByApiKeyHash(const std::string& api_key_hash) {
  if (api_key_hash.empty()) return NotFound("Account not found.");
  return FindOne("api_key_hash", api_key_hash);
}

Status SqlAccountStore::Update(const Account& account) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(
        auto stmt, connection.Prepare("UPDATE accounts SET email = ?2, password_hash = ?3, "
                                      "api_key_hash = ?4, api_key_hint = ?5, callback_url = ?6, "
                                      "locale = ?7, is_locked = ?8, email_confirmed = ?9, "
                                      "api_key_sealed = ?11, is_admin = ?12 WHERE id = ?1"));
    stmt.Bind(1, account.id);
    BindMutable(stmt, account);
    CS_RETURN_IF_ERROR(MapConflict(stmt.Run()));
    if (connection.Changes() == 0) return NotFound("Account not found.");
    return Status::Ok();
  });
}

StatusOr<std::vector<Account>> SqlAccountStore::Search(const std::string& email_part, int limit) {
  const std::string pattern = LikeContains(email_part);
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<Account>> {
    CS_ASSIGN_OR_RETURN(
        auto stmt,
        connection.Prepare(std::string("SELECT ") + kAccountColumns + " FROM accounts a WHERE " +
                           LikeIgnoringCase("a.email", "?1") +
                           " ORDER BY a.created_at DESC, a.id DESC LIMIT ?2"));
    stmt.Bind(1, pattern).Bind(2, limit);
    std::vector<Account> found;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      found.push_back(ReadAccount(stmt, 0));
    }
    return found;
  });
}

}  // namespace countersign
