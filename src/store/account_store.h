// AccountStore: persistence of accounts. Implementations are thread-safe; every method is one
// atomic operation.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "model/records.h"

namespace countersign {

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Inserts `account`. kConflict (path "email_address") when the email is taken.
  virtual Status Create(const Account& account) = 0;
  // kNotFound when absent.
  virtual StatusOr<Account> FindById(const std::string& id) = 0;
  virtual StatusOr<Account> FindByEmail(const std::string& email) = 0;
  virtual StatusOr<Account> FindByApiKeyHash(const std::string& api_key_hash) = 0;
  // Replaces every mutable column of the account with id `account.id`. kNotFound when absent.
  virtual Status Update(const Account& account) = 0;
  // Accounts whose email contains `email_part` (ignoring case), newest first, at most `limit`.
  virtual StatusOr<std::vector<Account>> Search(const std::string& email_part, int limit) = 0;
};

}  // namespace countersign
