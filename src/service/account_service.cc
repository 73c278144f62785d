#include "service/account_service.h"

#include <cstdlib>
#include <iostream>

#include "core/crypto.h"
#include "core/ids.h"
#include "service/validation.h"

namespace countersign {

namespace {

std::string Hint(const std::string& key) { return key.substr(key.size() - 4); }

}  // namespace

AccountService::AccountService(AccountStore& store, const Clock& clock, Options options)
    : store_(store), clock_(clock), options_(options) {
  StatusOr<std::string> dummy = HashPassword(NewSecret(), options_.fast_password_hashing);
  if (!dummy.ok()) {  // argon2id fails only when memory runs out: a broken invariant
    std::cerr << "account service: " << dummy.status().ToString() << "\n";
    std::abort();
  }
  dummy_hash_ = std::move(dummy).value();
  if (options_.commit_watch != nullptr) {
    api_key_reads_ = std::make_unique<ExactReadCache<Account>>(*options_.commit_watch, clock_,
                                                               ExactReadCache<Account>::Options{});
  }
}

StatusOr<std::string> AccountService::HashNewPassword(const std::string& password,
                                                      const std::string& email) {
  CS_RETURN_IF_ERROR(CheckNewPassword(password, email, options_.min_password_length));
  return HashPassword(password, options_.fast_password_hashing);
}

StatusOr<NewAccount> AccountService::Build(const std::string& email_in, const std::string& password,
                                           const std::string& locale) {
  std::string email = ToLower(Trim(email_in));
  if (email.empty()) return InvalidArgument("This value should not be blank", "email_address");
  if (!IsValidEmail(email)) return InvalidArgument("Invalid email address", "email_address");
  if (!password.empty()) {
    CS_RETURN_IF_ERROR(CheckNewPassword(password, email, options_.min_password_length));
  }
  if (!locale.empty() && !IsSupportedLocale(locale)) {
    return InvalidArgument("Unsupported locale", "locale");
  }
  NewAccount created;
  Account& a = created.account;
  a.id = NewAccountId();
  a.email = email;
  if (!password.empty()) {
    CS_ASSIGN_OR_RETURN(a.password_hash, HashPassword(password, options_.fast_password_hashing));
  }
  created.api_key = NewSecret();
  a.api_key_hash = Sha256Hex(created.api_key);
  a.api_key_hint = Hint(created.api_key);
  if (options_.api_key_box) a.api_key_sealed = options_.api_key_box->Seal(created.api_key);
  a.locale = locale.empty() ? "en-US" : locale;
  a.created_at = clock_.NowSeconds();
  return created;
}

StatusOr<NewAccount> AccountService::Create(const std::string& email, const std::string& password,
                                            const std::string& locale) {
  CS_ASSIGN_OR_RETURN(NewAccount created, Build(email, password, locale));
  Account& a = created.account;
  a.email_confirmed = true;  // created by the operator, who vouches for the address
  Status st = store_.Create(a);
  if (st.code() == Code::kConflict) {
    return InvalidArgument("An account with this email address already exists", "email_address");
  }
  CS_RETURN_IF_ERROR(st);
  return created;
}

StatusOr<Account> AccountService::Authenticate(const std::string& email,
                                               const std::string& password) {
  static const char kMsg[] = "Incorrect email address or password.";
  auto found = store_.FindByEmail(ToLower(Trim(email)));
  if (!found.ok() && found.status().code() != Code::kNotFound) return found.status();
  const bool has_hash = found.ok() && !found->password_hash.empty();
  // Always one verification of the same cost, whether or not there is an account.
  const bool matches = VerifyPassword(password, has_hash ? found->password_hash : dummy_hash_);
  if (!has_hash || !matches || found->is_locked) return Unauthenticated(kMsg);
  return found;
}

StatusOr<Account> AccountService::AuthenticateApiKey(const std::string& api_key) {
  if (api_key.empty()) return Unauthenticated("Unauthorized user. No credentials supplied.");
  const std::string key = Sha256Hex(api_key);
  StatusOr<Account> found =
      api_key_reads_ ? api_key_reads_->Find(key, [&] { return store_.FindByApiKeyHash(key); })
                     : store_.FindByApiKeyHash(key);
  if (!found.ok()) {
    if (found.status().code() != Code::kNotFound) return found.status();
    return Unauthenticated("Unauthorized api key.");
  }
  if (found->is_locked) return Unauthenticated("This account is locked.");
  return found;
}

StatusOr<Account> AccountService::Get(const std::string& account_id) {
  return store_.FindById(account_id);
}

StatusOr<Account> AccountService::FindByEmail(const std::string& email) {
  return store_.FindByEmail(ToLower(Trim(email)));
}

StatusOr<Account> AccountService::Update(const std::string& account_id,
                                         const AccountChanges& changes) {
  CS_ASSIGN_OR_RETURN(Account a, store_.FindById(account_id));
  if (changes.callback_url) {
    if (changes.callback_url->empty()) {
      a.callback_url.reset();
    } else if (!IsValidHttpUrl(*changes.callback_url)) {
      return InvalidArgument("Invalid callback URL: use an absolute http or https URL",
                             "callback_url");
    } else {
      a.callback_url = *changes.callback_url;
    }
  }
  if (changes.locale) {
    if (!IsSupportedLocale(*changes.locale)) return InvalidArgument("Unsupported locale", "locale");
    a.locale = *changes.locale;
  }
  CS_RETURN_IF_ERROR(store_.Update(a));
  return a;
}

StatusOr<std::string> AccountService::RotateApiKey(const std::string& account_id) {
  CS_ASSIGN_OR_RETURN(Account a, store_.FindById(account_id));
  std::string key = NewSecret();
  a.api_key_hash = Sha256Hex(key);
  a.api_key_hint = Hint(key);
  if (options_.api_key_box) a.api_key_sealed = options_.api_key_box->Seal(key);
  CS_RETURN_IF_ERROR(store_.Update(a));
  return key;
}

}  // namespace countersign
