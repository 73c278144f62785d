#include "service/account_confirmation_service.h"

#include "core/crypto.h"
#include "core/ids.h"
#include "service/confirmation_mail.h"

namespace countersign {

namespace {

Status TakenEmail() {
  return InvalidArgument("An account with this email address already exists", "email_address");
}

}  // namespace

AccountConfirmationService::AccountConfirmationService(AccountService& accounts, AppService& apps,
                                                       OAuthService& oauth,
                                                       AccountConfirmationStore& store,
                                                       SignUpNotice& notices, const Clock& clock,
                                                       const PublicUrl& public_url, Options options)
    : accounts_(accounts),
      apps_(apps),
      oauth_(oauth),
      store_(store),
      notices_(notices),
      clock_(clock),
      public_url_(public_url),
      options_(options) {}

AccountConfirmation AccountConfirmationService::NewLink(const std::string& account_id,
                                                        const std::string& client_id,
                                                        std::string& url) {
  const std::string token = NewSecret();
  url = public_url_.Get() + "/account/confirm?token=" + token;
  AccountConfirmation link;
  link.token_hash = Sha256Hex(token);
  link.account_id = account_id;
  link.client_id = client_id;
  link.created_at = clock_.NowSeconds();
  link.expires_at = link.created_at + options_.link_ttl_seconds;
  return link;
}

std::string AccountConfirmationService::AppName(const std::string& client_id) {
  if (client_id.empty()) return "";
  auto app = apps_.Get(client_id);
  return app.ok() ? app->name : "";
}

StatusOr<ApiApp> AccountConfirmationService::CheckClient(const AccountCreateRequest& request) {
  if (request.client_id.empty()) {
    return InvalidArgument("client_id is required when client_secret is given", "client_id");
  }
  if (request.client_secret.empty()) {
    return InvalidArgument("client_secret is required when client_id is given", "client_secret");
  }
  static const char kBadClient[] = "Invalid client_id or client_secret.";
  auto app = apps_.Get(request.client_id);
  if (!app.ok()) {
    if (app.status().code() != Code::kNotFound) return app.status();
    return Unauthenticated(kBadClient);
  }
  if (!AppService::SecretMatches(*app, request.client_secret)) return Unauthenticated(kBadClient);
  if (!app->has_oauth) return InvalidArgument("This app is not set up for OAuth.", "client_id");
  if (!app->is_approved) {
    return PermissionDenied(
        "This app must be approved for production before it can create accounts.");
  }
  return app;
}

StatusOr<CreatedAccount> AccountConfirmationService::CreateForApi(
    const AccountCreateRequest& request) {
  CS_ASSIGN_OR_RETURN(NewAccount built, accounts_.Build(request.email, "", request.locale));
  std::optional<ApiApp> app;
  if (!request.client_id.empty() || !request.client_secret.empty()) {
    CS_ASSIGN_OR_RETURN(app, CheckClient(request));
  }
  CreatedAccount out;
  out.account = built.account;
  std::optional<MintedGrant> minted;
  if (app) {
    minted = oauth_.MintPendingGrant(*app, out.account.id);
    out.oauth = minted->tokens;
  }
  std::string url;
  AccountConfirmation link = NewLink(out.account.id, app ? app->client_id : "", url);
  QueuedMail mail =
      ConfirmationMail(out.account.email, url, app ? app->name : "",
                       app ? ConfirmationMailKind::kAppCreated : ConfirmationMailKind::kSignUp,
                       link.created_at, link.expires_at);
  Status st =
      store_.CreateUnconfirmedAccount(out.account, link, mail, minted ? &minted->stored : nullptr);
  if (st.code() == Code::kConflict && st.path() == "email_address") return TakenEmail();
  CS_RETURN_IF_ERROR(st);
  return out;
}

Status AccountConfirmationService::SignUp(const std::string& email, const std::string& password) {
  if (password.empty()) return InvalidArgument("Choose a password", "password");
  // Hashes the password whether or not the address is taken: the time does not tell.
  CS_ASSIGN_OR_RETURN(NewAccount built, accounts_.Build(email, password));
  std::string url;
  AccountConfirmation link = NewLink(built.account.id, "", url);
  link.password_hash = built.account.password_hash;
  QueuedMail mail = ConfirmationMail(built.account.email, url, "", ConfirmationMailKind::kSignUp,
                                     link.created_at, link.expires_at);
  Status st = store_.CreateUnconfirmedAccount(built.account, link, mail, nullptr);
  if (st.code() != Code::kConflict || st.path() != "email_address") return st;
  // Taken (also when another sign-up took it a moment ago): nothing was written.
  auto owner = accounts_.FindByEmail(built.account.email);
  if (!owner.ok()) return owner.status().code() == Code::kNotFound ? Status::Ok() : owner.status();
  if (!owner->email_confirmed) return SignUpAgain(*owner, built.account.password_hash);
  return notices_.Send(*owner);
}

Status AccountConfirmationService::SignUpAgain(const Account& owner,
                                               const std::string& password_hash) {
  auto client_id = NextLinkClient(owner.id, clock_.NowSeconds());
  if (client_id.status().code() == Code::kResourceExhausted) return Status::Ok();  // one is fresh
  CS_RETURN_IF_ERROR(client_id.status());
  std::string url;
  AccountConfirmation link = NewLink(owner.id, *client_id, url);
  link.password_hash = password_hash;
  QueuedMail mail =
      ConfirmationMail(owner.email, url, AppName(*client_id), ConfirmationMailKind::kSignUp,
                       link.created_at, link.expires_at);
  return store_.AddConfirmation(link, mail);
}

StatusOr<std::string> AccountConfirmationService::NextLinkClient(const std::string& account_id,
                                                                 int64_t now) {
  auto latest = store_.FindLatest(account_id);
  if (!latest.ok()) {
    if (latest.status().code() == Code::kNotFound) return std::string();
    return latest.status();
  }
  // A fresh, still valid link was just sent: do not flood the mailbox.
  if (now < latest->created_at + options_.resend_interval_seconds && now < latest->expires_at) {
    return Status(Code::kResourceExhausted,
                  "We sent you a link less than a minute ago. Check your inbox (and spam "
                  "folder), or try again in a minute.");
  }
  return latest->client_id;  // the app that created the account still awaits consent
}

StatusOr<ConfirmationLink> AccountConfirmationService::Inspect(const std::string& token) {
  static const char kUnknown[] = "This confirmation link is not valid.";
  if (token.empty() || token.size() > 256) return NotFound(kUnknown);
  auto link = store_.Find(Sha256Hex(token));
  if (!link.ok()) {
    if (link.status().code() != Code::kNotFound) return link.status();
    return NotFound(kUnknown);
  }
  auto account = accounts_.Get(link->account_id);
  if (!account.ok()) {
    if (account.status().code() != Code::kNotFound) return account.status();
    return NotFound(kUnknown);
  }
  if (link->used_at != 0 || account->email_confirmed) {
    return Conflict("This confirmation link was already used: your email address is confirmed.");
  }
  if (clock_.NowSeconds() >= link->expires_at) {
    return Status(Code::kGone, "This confirmation link has expired. Ask for a new one below.");
  }
  if (account->is_locked) return PermissionDenied("This account is locked.");
  ConfirmationLink out;
  out.needs_password = account->password_hash.empty();
  out.account = std::move(account).value();
  out.app_name = AppName(link->client_id);
  out.confirmation = std::move(link).value();
  return out;
}

StatusOr<ConfirmedAccount> AccountConfirmationService::Confirm(const std::string& token,
                                                               const std::string& password) {
  CS_ASSIGN_OR_RETURN(ConfirmationLink link, Inspect(token));
  std::string password_hash;
  if (link.needs_password) {
    if (password.empty()) return InvalidArgument("Choose a password", "password");
    CS_ASSIGN_OR_RETURN(password_hash, accounts_.HashNewPassword(password, link.account.email));
  }
  const int64_t now = clock_.NowSeconds();
  EventRecord event;
  event.id = NewInternalId();
  event.event_type = "account_confirmed";
  event.event_time = now;
  event.account_id = link.account.id;
  event.client_id = link.confirmation.client_id;
  Status st = store_.Confirm(link.confirmation.token_hash, now, password_hash, event);
  if (st.code() == Code::kConflict) {
    return Conflict("This confirmation link was already used: your email address is confirmed.");
  }
  CS_RETURN_IF_ERROR(st);
  ConfirmedAccount out;
  CS_ASSIGN_OR_RETURN(out.account, accounts_.Get(link.account.id));
  out.client_id = link.confirmation.client_id;
  return out;
}

Status AccountConfirmationService::Resend(const std::string& account_id) {
  CS_ASSIGN_OR_RETURN(Account account, accounts_.Get(account_id));
  if (account.email_confirmed) return Conflict("Your email address is already confirmed.");
  const int64_t now = clock_.NowSeconds();
  CS_ASSIGN_OR_RETURN(std::string client_id, NextLinkClient(account_id, now));
  std::string url;
  AccountConfirmation link = NewLink(account_id, client_id, url);
  QueuedMail mail = ConfirmationMail(account.email, url, AppName(client_id),
                                     ConfirmationMailKind::kResend, now, link.expires_at);
  return store_.AddConfirmation(link, mail);
}

Status AccountConfirmationService::ResendTo(const std::string& email) {
  auto account = accounts_.FindByEmail(email);
  if (!account.ok()) {
    return account.status().code() == Code::kNotFound ? Status::Ok() : account.status();
  }
  Status st = Resend(account->id);
  if (st.code() == Code::kConflict || st.code() == Code::kResourceExhausted) return Status::Ok();
  return st;
}

}  // namespace countersign
