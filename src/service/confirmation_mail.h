// The email that carries an email-confirmation link (docs/account-creation.md). A pure
// function; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "store/mail_queue_store.h"

namespace countersign {

enum class ConfirmationMailKind {
  kSignUp,      // the person signed up on the sign-up page
  kAppCreated,  // an app created the account for them (POST /v3/account/create)
  kResend,      // a new link, asked for after an earlier one
};

// The mail (text and HTML parts; HTML escaped with ctemplate's escaper) inviting `email` to open
// `link` before `expires_at`. `app_name` names the app that created the account (may be empty).
QueuedMail ConfirmationMail(const std::string& email, const std::string& link,
                            const std::string& app_name, ConfirmationMailKind kind, int64_t now,
                            int64_t expires_at);

}  // namespace countersign
