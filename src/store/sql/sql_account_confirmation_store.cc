#include "store/sql/sql_account_confirmation_store.h"

#include "store/sql/sql_account_store.h"
#include "store/sql/sql_event_writer.h"
#include "store/sql/sql_mail_queue_store.h"
#include "store/sql/sql_mark_time.h"
#include "store/sql/sql_oauth_store.h"

namespace countersign {
namespace {

constexpr char kColumns[] =
    "token_hash, account_id, client_id, created_at, expires_at, used_at, password_hash";

AccountConfirmation ReadConfirmation(const SqlStatement& row) {
  AccountConfirmation c;
  c.token_hash = row.Text(0);
  c.account_id = row.Text(1);
  c.client_id = row.Text(2);
  c.created_at = row.Int(3);
  c.expires_at = row.Int(4);
  c.used_at = row.Int(5);
  c.password_hash = row.Text(6);
  return c;
}

Status InsertConfirmation(SqlConnection& connection, const AccountConfirmation& c) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("INSERT INTO account_confirmations (token_hash, "
                                         "account_id, client_id, created_at, expires_at, "
                                         "used_at, password_hash) VALUES (?1, ?2, ?3, ?4, ?5, "
                                         "?6, ?7)"));
  stmt.Bind(1, c.token_hash)
      .Bind(2, c.account_id)
      .Bind(3, c.client_id)
      .Bind(4, c.created_at)
      .Bind(5, c.expires_at)
      .Bind(6, c.used_at)
      .Bind(7, c.password_hash);
  return stmt.Run();
}

// The one row `sql` (with ?1 = `key`) selects, or kNotFound.
StatusOr<AccountConfirmation> FindOne(SqlConnection& connection, const std::string& sql,
                                      const std::string& key) {
  CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql));
  stmt.Bind(1, key);
  CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return NotFound("Confirmation link not found.");
  return ReadConfirmation(stmt);
}

}  // namespace

Status SqlAccountConfirmationStore::CreateUnconfirmedAccount(
    const Account& account, const AccountConfirmation& confirmation, const QueuedMail& mail,
    const PendingGrant* grant) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_RETURN_IF_ERROR(InsertAccount(connection, account));
    CS_RETURN_IF_ERROR(InsertConfirmation(connection, confirmation));
    CS_RETURN_IF_ERROR(InsertQueuedMail(connection, mail));
    if (grant != nullptr)
      CS_RETURN_IF_ERROR(InsertGrant(connection, grant->grant, grant->tokens, ""));
    return Status::Ok();
  });
}

Status SqlAccountConfirmationStore::AddConfirmation(const AccountConfirmation& confirmation,
                                                    const QueuedMail& mail) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto exists, connection.Prepare("SELECT 1 FROM accounts WHERE id = ?1"));
      exists.Bind(1, confirmation.account_id);
      CS_ASSIGN_OR_RETURN(bool found, exists.Step());
      if (!found) return NotFound("Account not found.");
    }
    CS_RETURN_IF_ERROR(InsertConfirmation(connection, confirmation));
    return InsertQueuedMail(connection, mail);
  });
}

StatusOr<AccountConfirmation> SqlAccountConfirmationStore::Find(const std::string& token_hash) {
  return db_->Read([&](SqlConnection& connection) {
    return FindOne(
        connection,
        std::string("SELECT ") + kColumns + " FROM account_confirmations WHERE token_hash = ?1",
        token_hash);
  });
}

StatusOr<AccountConfirmation> SqlAccountConfirmationStore::FindLatest(
    const std::string& account_id) {
  return db_->Read([&](SqlConnection& connection) {
    return FindOne(connection,
                   std::string("SELECT ") + kColumns +
                       " FROM account_confirmations WHERE account_id = ?1 "
                       "ORDER BY created_at DESC, expires_at DESC, token_hash DESC LIMIT 1",
                   account_id);
  });
}

Status SqlAccountConfirmationStore::Confirm(const std::string& token_hash, int64_t now,
                                            const std::string& password_hash,
                                            const EventRecord& event) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(AccountConfirmation link,
                        FindOne(connection,
                                std::string("SELECT ") + kColumns +
                                    " FROM account_confirmations WHERE token_hash = ?1",
                                token_hash));
    if (link.used_at != 0) return Conflict("This confirmation link was already used.");
    if (now >= link.expires_at) return Status(Code::kGone, "This confirmation link has expired.");
    {
      CS_ASSIGN_OR_RETURN(auto confirm,
                          connection.Prepare("UPDATE accounts SET email_confirmed = 1, "
                                             "password_hash = CASE WHEN ?2 = '' THEN "
                                             "password_hash ELSE ?2 END "
                                             "WHERE id = ?1 AND email_confirmed = 0"));
      const std::string& chosen = password_hash.empty() ? link.password_hash : password_hash;
      confirm.Bind(1, link.account_id).Bind(2, chosen);
      CS_RETURN_IF_ERROR(confirm.Run());
      if (connection.Changes() != 1) return Conflict("This account is already confirmed.");
      if (!chosen.empty()) {
        CS_ASSIGN_OR_RETURN(auto end,
                            connection.Prepare("DELETE FROM sessions WHERE account_id = ?1"));
        end.Bind(1, link.account_id);
        CS_RETURN_IF_ERROR(end.Run());
      }
    }
    {
      CS_ASSIGN_OR_RETURN(auto use, connection.Prepare("UPDATE account_confirmations SET used_at = "
                                                       "?2 WHERE account_id = ?1 AND used_at = 0"));
      use.Bind(1, link.account_id).Bind(2, MarkTime(now));
      CS_RETURN_IF_ERROR(use.Run());
    }
    return InsertEvent(connection, event, now);
  });
}

}  // namespace countersign
