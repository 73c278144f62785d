// SqliteAccountConfirmationStore: AccountConfirmationStore over `account_confirmations`
// (migration 0005), writing the account, mail queue, grant and event rows through the other
// SQLite stores' insert helpers inside its own BEGIN IMMEDIATE transactions. "Used once" is a
// conditional UPDATE whose row count decides, so it holds across threads and processes.
// Thread-safe (every call borrows its own pooled connection).
#pragma once

#include <memory>
#include <string>

#include "store/account_confirmation_store.h"
#include "store/sqlite/sqlite_db.h"

namespace countersign {

class SqliteAccountConfirmationStore : public AccountConfirmationStore {
 public:
  explicit SqliteAccountConfirmationStore(std::shared_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Status CreateUnconfirmedAccount(const Account& account, const AccountConfirmation& confirmation,
                                  const QueuedMail& mail, const PendingGrant* grant) override;
  // kNotFound (nothing written) when the account does not exist.
  Status AddConfirmation(const AccountConfirmation& confirmation, const QueuedMail& mail) override;
  StatusOr<AccountConfirmation> Find(const std::string& token_hash) override;
  // Ties on created_at are broken by the insertion order.
  StatusOr<AccountConfirmation> FindLatest(const std::string& account_id) override;
  Status Confirm(const std::string& token_hash, int64_t now, const std::string& password_hash,
                 const EventRecord& event) override;

 private:
  std::shared_ptr<SqliteDb> db_;
};

}  // namespace countersign
