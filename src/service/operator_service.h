// OperatorService: what an operator (an account with is_admin, issue 15) may do across
// accounts: see every app and approve or unapprove it, find accounts by email, lock and unlock
// them. Every call names the acting account and is refused (kPermissionDenied) unless it is
// an operator that is not locked. Granting the role is for the command line (SetOperator),
// which has the machine already. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/account_store.h"
#include "store/app_store.h"

namespace countersign {

class OperatorService {
 public:
  static constexpr int kPageSize = 50;

  OperatorService(AccountStore& accounts, AppStore& apps) : accounts_(accounts), apps_(apps) {}

  // kPermissionDenied unless `actor` is an operator (and not locked).
  static Status CheckOperator(const Account& actor);

  // Apps waiting for approval first, then newest first; page `page` (1-based) of kPageSize.
  StatusOr<std::vector<ApiApp>> Apps(const Account& actor, int page);
  // kNotFound for an unknown client_id.
  Status SetApproved(const Account& actor, const std::string& client_id, bool approved);

  // Accounts whose email contains `query` (at least 2 characters, else kInvalidArgument with
  // path "q"), newest first, at most kPageSize.
  StatusOr<std::vector<Account>> FindAccounts(const Account& actor, const std::string& query);
  // Locks (no log-in, no API key, no token) or unlocks the account `account_id`. An operator
  // cannot lock themselves (kInvalidArgument). kNotFound for an unknown account.
  Status SetLocked(const Account& actor, const std::string& account_id, bool locked);

  // The command line's grant: makes the account with `email` an operator (or not).
  // kNotFound for an unknown email.
  Status SetOperator(const std::string& email, bool is_operator);

 private:
  AccountStore& accounts_;
  AppStore& apps_;
};

}  // namespace countersign
