// AccountConfirmationStore: the emailed email-confirmation links (stored by the SHA-256 of
// their token only) and the atomic steps of the account creation flow
// (docs/account-creation.md): an unconfirmed account is stored together with its first link,
// the mail carrying it and, when an app created it, the app's pending grant; confirming marks
// the links used, the account confirmed and records the `account_confirmed` event, all in one
// transaction. Implementations are thread-safe; every method is one atomic operation.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "model/event_records.h"
#include "model/records.h"
#include "store/mail_queue_store.h"
#include "store/oauth_store.h"

namespace countersign {

struct AccountConfirmation {
  std::string token_hash;  // SHA-256 hex of the link's token
  std::string account_id;
  std::string client_id;  // the app that created the account (POST /v3/account/create); or ''
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t used_at = 0;  // 0 while unused
  // The password hash chosen at the sign-up that made this link ('' none): confirming through
  // the link sets it on the account (the address's owner may sign up again after a stranger
  // did, and confirms with their own password).
  std::string password_hash;
};

class AccountConfirmationStore {
 public:
  virtual ~AccountConfirmationStore() = default;

  // In one transaction: inserts `account`, its first link `confirmation`, queues `mail` and,
  // when `grant` is not null, stores that pending grant with its tokens. kConflict (path
  // "email_address") when the email is taken; nothing is written then.
  virtual Status CreateUnconfirmedAccount(const Account& account,
                                          const AccountConfirmation& confirmation,
                                          const QueuedMail& mail, const PendingGrant* grant) = 0;

  // In one transaction: adds another link for an existing account and queues its mail.
  virtual Status AddConfirmation(const AccountConfirmation& confirmation,
                                 const QueuedMail& mail) = 0;

  // The link with this token hash. kNotFound when unknown.
  virtual StatusOr<AccountConfirmation> Find(const std::string& token_hash) = 0;
  // The account's newest link. kNotFound when it has none.
  virtual StatusOr<AccountConfirmation> FindLatest(const std::string& account_id) = 0;

  // In one transaction, when the link `token_hash` is unused, expires after `now` and its
  // account is not confirmed yet: marks every link of the account used at `now`, marks the
  // account confirmed, replaces its password hash with `password_hash`, or else with the
  // link's own, when one is not empty (and then ends every session of the account, so no one
  // stays logged in with a password that no longer works), and records `event` (InsertEvent).
  // kNotFound for an unknown link; kConflict when the link was used or the account is already
  // confirmed; kGone when it expired. Nothing is written then.
  virtual Status Confirm(const std::string& token_hash, int64_t now,
                         const std::string& password_hash, const EventRecord& event) = 0;
};

}  // namespace countersign
