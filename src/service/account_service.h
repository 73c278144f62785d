// AccountService: the rules for accounts — sign-up, password log-in, API keys and settings.
// Thread-safe (stateless apart from its borrowed dependencies and its API-key cache, which is).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/secret_box.h"
#include "core/status.h"
#include "service/exact_read_cache.h"
#include "service/password_policy.h"
#include "store/account_store.h"

namespace countersign {

struct NewAccount {
  Account account;
  std::string api_key;  // plaintext, shown once; only its hash is stored
};

struct AccountChanges {
  std::optional<std::string> callback_url;  // "" clears it
  std::optional<std::string> locale;
};

class AccountService {
 public:
  struct Options {
    bool fast_password_hashing = false;               // minimum argon2id cost, for tests only
    size_t min_password_length = kMinPasswordLength;  // service/password_policy.h
    // Seals each new API key so event callbacks can be signed with it; null: not kept.
    const SecretBox* api_key_box = nullptr;
    // When set (Stores::commit_watch), AuthenticateApiKey keeps the account it read per key in
    // an ExactReadCache: exact, so a rotated key or a locked account counts at the next request.
    const CommitWatch* commit_watch = nullptr;
  };

  AccountService(AccountStore& store, const Clock& clock, Options options);

  // Creates an account whose email address counts as confirmed: an operator action (the CLI).
  // Accounts that people create themselves go through AccountConfirmationService instead.
  // `password` may be empty (no password log-in). Errors: kInvalidArgument (path
  // "email_address", "password" or "locale"), kInvalidArgument with path "email_address" when
  // the email is already registered.
  StatusOr<NewAccount> Create(const std::string& email, const std::string& password,
                              const std::string& locale = "en-US");

  // Validates and builds a new, unconfirmed account with a fresh API key, without storing it
  // (the caller stores it in its own transaction). Errors as Create, except the taken email.
  StatusOr<NewAccount> Build(const std::string& email, const std::string& password,
                             const std::string& locale = "en-US");

  // The argon2id hash of a password the user of `email` chose. kInvalidArgument (path
  // "password") when it breaks the password rules (service/password_policy.h).
  StatusOr<std::string> HashNewPassword(const std::string& password, const std::string& email);

  // Password log-in. kUnauthenticated for an unknown email, a wrong password, an account
  // without a password or a locked one (one message for all, so emails are not revealed).
  // Every case costs one argon2id verification (against a dummy hash of the same cost when
  // there is no real one), so the answer time does not reveal whether the account exists.
  StatusOr<Account> Authenticate(const std::string& email, const std::string& password);

  // API-key authentication. kUnauthenticated when no account has this key. With
  // Options::commit_watch, the account may come from the cache rather than a query (see there).
  StatusOr<Account> AuthenticateApiKey(const std::string& api_key);
  // The API-key cache's counters; nullopt without one.
  std::optional<ReadCacheStats> ApiKeyCacheStats() const {
    if (!api_key_reads_) return std::nullopt;
    return api_key_reads_->stats();
  }

  StatusOr<Account> Get(const std::string& account_id);
  // kNotFound when no account has this email (compared case-insensitively).
  StatusOr<Account> FindByEmail(const std::string& email);

  // Applies `changes`. kInvalidArgument (path "callback_url" / "locale") for bad values.
  StatusOr<Account> Update(const std::string& account_id, const AccountChanges& changes);

  // Replaces the API key; returns the new plaintext key (shown once).
  StatusOr<std::string> RotateApiKey(const std::string& account_id);

 private:
  AccountStore& store_;
  const Clock& clock_;
  Options options_;
  std::string dummy_hash_;  // what unknown accounts are verified against
  std::unique_ptr<ExactReadCache<Account>> api_key_reads_;  // null without a watch
};

}  // namespace countersign
