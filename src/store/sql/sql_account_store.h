// SqlAccountStore: AccountStore over the `accounts` table. Thread-safe (every call borrows
// its own pooled connection); each method is one statement, atomic on its own.
#pragma once

#include <memory>
#include <string>

#include "store/account_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

// Inserts `account` on `connection`, inside the caller's write transaction (the account
// creation flow stores the account together with its confirmation link and mail). kConflict
// (path "email_address") when the email is taken.
Status InsertAccount(SqlConnection& connection, const Account& account);

// The columns of an account row, read as table alias `a` (`... FROM accounts a`), for this store
// and for queries of other stores that join the account in (SqlOAuthStore::FindTokenWithAccount).
extern const char kAccountColumns[];
// Reads the twelve kAccountColumns starting at column `first` of the current row.
Account ReadAccount(const SqlStatement& row, int first);

class SqlAccountStore : public AccountStore {
 public:
  explicit SqlAccountStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  Status Create(const Account& account) override;
  StatusOr<Account> FindById(const std::string& id) override;
  StatusOr<Account> FindByEmail(const std::string& email) override;
  // An empty hash matches no account.
  StatusOr<Account> FindByApiKeyHash(const std::string& api_key_hash) override;
  Status Update(const Account& account) override;
  StatusOr<std::vector<Account>> Search(const std::string& email_part, int limit) override;

 private:
  StatusOr<Account> FindOne(const std::string& column, const std::string& value);

  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
