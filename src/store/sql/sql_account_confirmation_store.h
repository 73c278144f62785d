// SqlAccountConfirmationStore: AccountConfirmationStore over `account_confirmations`
// (migration 0005), writing the account, mail queue, grant and event rows through the other
// stores' insert helpers inside its own transactions. "Used once" is a conditional UPDATE whose
// row count decides (a racing second UPDATE waits for the first and then matches nothing), so
// it holds across threads, processes and server instances.
// Thread-safe (every call borrows its own pooled connection).
#pragma once

#include <memory>
#include <string>

#include "store/account_confirmation_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlAccountConfirmationStore : public AccountConfirmationStore {
 public:
  explicit SqlAccountConfirmationStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  Status CreateUnconfirmedAccount(const Account& account, const AccountConfirmation& confirmation,
                                  const QueuedMail& mail, const PendingGrant* grant) override;
  // kNotFound (nothing written) when the account does not exist.
  Status AddConfirmation(const AccountConfirmation& confirmation, const QueuedMail& mail) override;
  StatusOr<AccountConfirmation> Find(const std::string& token_hash) override;
  // Ties on created_at are broken by expires_at, then token_hash (the same on every database).
  StatusOr<AccountConfirmation> FindLatest(const std::string& account_id) override;
  Status Confirm(const std::string& token_hash, int64_t now, const std::string& password_hash,
                 const EventRecord& event) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
