// AccountConfirmationService: accounts that people sign up for, or that an app creates for them
// (POST /v3/account/create), and the confirmation of their email address
// (docs/account-creation.md). Such an account starts unconfirmed and gets an email with a
// single-use link that expires (7 days by default); the link's token is stored only as its
// SHA-256. The account, its link, the mail and (for an app) the app's pending grant are stored
// in one transaction; the mail is sent later by the MailWorker, never on the request path.
// Confirming marks the account confirmed, sets the password it lacked, and records the
// `account_confirmed` event for the app that created it, also in one transaction.
// Thread-safe (stateless apart from its borrowed dependencies).
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/public_url.h"
#include "core/status.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/oauth_service.h"
#include "service/sign_up_notice.h"
#include "store/account_confirmation_store.h"

namespace countersign {

// The parameters of POST /v3/account/create; empty strings mean "not given".
struct AccountCreateRequest {
  std::string email;
  std::string locale;
  std::string client_id;
  std::string client_secret;
};

struct CreatedAccount {
  Account account;
  std::optional<TokenResponse> oauth;  // when the app's credentials were given
};

// What an emailed link leads to.
struct ConfirmationLink {
  Account account;
  AccountConfirmation confirmation;
  std::string app_name;         // the app that created the account, or ""
  bool needs_password = false;  // the account has no password yet (created by an app)
};

struct ConfirmedAccount {
  Account account;        // now confirmed
  std::string client_id;  // the app waiting for the user's consent, or ""
};

class AccountConfirmationService {
 public:
  struct Options {
    int64_t link_ttl_seconds = 7 * 24 * 3600;
    int64_t resend_interval_seconds = 60;  // at most one new link per account this often
  };

  // Every dependency must outlive this object. `public_url` is read when a link is built.
  AccountConfirmationService(AccountService& accounts, AppService& apps, OAuthService& oauth,
                             AccountConfirmationStore& store, SignUpNotice& notices,
                             const Clock& clock, const PublicUrl& public_url, Options options);

  // POST /v3/account/create. Creates an unconfirmed account without a password and queues its
  // confirmation mail; with the app's credentials, also a pending grant whose tokens are
  // returned. Errors: kInvalidArgument (path "email_address" for a blank, invalid or taken
  // address, "locale", "client_id" / "client_secret" when only one is given or the app has no
  // OAuth); kUnauthenticated for an unknown client_id or a wrong secret; kPermissionDenied when
  // the app is not approved for production. Nothing is written on error.
  StatusOr<CreatedAccount> CreateForApi(const AccountCreateRequest& request);

  // The sign-up page. Ok both for a new address and for a taken one, so that the caller cannot
  // tell them apart (and neither can whoever is signing up); both cost the same password
  // hashing. A new address gets an unconfirmed account with this password and its
  // confirmation mail (one transaction). A taken address's account does not change: if it is
  // confirmed its owner is sent a SignUpNotice; if not (perhaps a stranger signed up with
  // the address), a new confirmation link carrying this sign-up's password is mailed to the
  // address (at most one per resend interval), so whoever reads that mailbox can still claim
  // the account with their own password. Errors: kInvalidArgument (path
  // "email_address" for a blank or invalid address, "password" for an empty one or one that
  // breaks the password rules); database errors.
  Status SignUp(const std::string& email, const std::string& password);

  // Reads the link with plaintext `token` without using it. kNotFound for an unknown token;
  // kConflict when it was used (or the account is confirmed); kGone when it expired;
  // kPermissionDenied for a locked account.
  StatusOr<ConfirmationLink> Inspect(const std::string& token);

  // Uses the link: confirms the account and, when it has no password, sets `password`
  // (kInvalidArgument, path "password", when it breaks the password rules). Errors as Inspect,
  // also when another request used the link first.
  StatusOr<ConfirmedAccount> Confirm(const std::string& token, const std::string& password);

  // Sends the unconfirmed account a new link (earlier unexpired links keep working until one
  // is used). kConflict when it is already confirmed; kResourceExhausted when a link that is
  // still valid was sent less than resend_interval_seconds ago; kNotFound for an unknown
  // account.
  Status Resend(const std::string& account_id);
  // Resend for whoever owns `email`, without revealing whether an account exists: Ok also when
  // there is no such account, it is confirmed, or a link was sent too recently.
  Status ResendTo(const std::string& email);

 private:
  // The client_id a new link of `account_id` carries on (that of its newest link), or
  // kResourceExhausted when a link that is still valid was made less than
  // resend_interval_seconds ago.
  StatusOr<std::string> NextLinkClient(const std::string& account_id, int64_t now);
  // Mails the unconfirmed `owner` a link that sets `password_hash` when it confirms.
  Status SignUpAgain(const Account& owner, const std::string& password_hash);
  // A fresh link for `account_id`: the record to store and the plaintext URL.
  AccountConfirmation NewLink(const std::string& account_id, const std::string& client_id,
                              std::string& url);
  // The name of app `client_id`, or "" when there is none.
  std::string AppName(const std::string& client_id);
  // Checks POST /v3/account/create's app credentials; returns the app.
  StatusOr<ApiApp> CheckClient(const AccountCreateRequest& request);

  AccountService& accounts_;
  AppService& apps_;
  OAuthService& oauth_;
  AccountConfirmationStore& store_;
  SignUpNotice& notices_;
  const Clock& clock_;
  const PublicUrl& public_url_;
  Options options_;
};

}  // namespace countersign
