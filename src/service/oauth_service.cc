#include "service/oauth_service.h"

#include <algorithm>
#include <memory>
#include <set>

#include "core/crypto.h"
#include "core/ids.h"
#include "model/scopes.h"
#include "service/app_service.h"
#include "service/oauth_errors.h"
#include "service/pkce.h"

namespace countersign {

OAuthService::OAuthService(AppStore& apps, OAuthStore& oauth, AccountStore& accounts,
                           const Clock& clock, Options options)
    : apps_(apps), oauth_(oauth), accounts_(accounts), clock_(clock), options_(options) {
  if (options_.commit_watch != nullptr) {
    token_reads_ = std::make_unique<ExactReadCache<TokenWithAccount>>(
        *options_.commit_watch, clock_, ExactReadCache<TokenWithAccount>::Options{});
  }
}

StatusOr<AuthorizeRequest> OAuthService::ValidateAuthorize(const std::string& response_type,
                                                           const std::string& client_id,
                                                           const std::string& redirect_uri,
                                                           const std::string& state) {
  return ValidateAuthorize(AuthorizeParams{response_type, client_id, redirect_uri, state, "", ""});
}

std::string OAuthService::ConsentDigest(const ApiApp& app) {
  std::vector<std::string> scopes = app.scopes;
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  std::string text = app.oauth_callback_url;
  for (const std::string& scope : scopes) text += "\n" + scope;
  return Sha256Hex(text);
}

StatusOr<AuthorizeRequest> OAuthService::ValidateAuthorize(const AuthorizeParams& params) {
  const std::string& client_id = params.client_id;
  const std::string& redirect_uri = params.redirect_uri;
  const std::string& response_type = params.response_type;
  const std::string& state = params.state;
  if (client_id.empty()) return InvalidArgument("The client_id parameter is missing.", "client_id");
  auto app = apps_.FindByClientId(client_id);
  if (!app.ok()) {
    if (app.status().code() != Code::kNotFound) return app.status();
    return NotFound("No app has this client_id.");
  }
  if (!app->has_oauth || app->oauth_callback_url.empty()) {
    return InvalidArgument("This app is not set up for OAuth.", "client_id");
  }
  if (!redirect_uri.empty() && redirect_uri != app->oauth_callback_url) {
    return InvalidArgument("The redirect_uri does not match the app's OAuth callback URL.",
                           "redirect_uri");
  }
  if (response_type != "code") {
    return InvalidArgument("Unsupported response_type: only \"code\" is supported.",
                           "response_type");
  }
  if (state.size() > 1024) return InvalidArgument("The state parameter is too long.", "state");
  CS_RETURN_IF_ERROR(ValidateCodeChallenge(params.code_challenge, params.code_challenge_method));
  if (app->require_pkce && params.code_challenge.empty()) {
    return InvalidArgument(
        "This app requires PKCE: send code_challenge (S256) and code_challenge_method=S256.",
        "code_challenge");
  }
  AuthorizeRequest out;
  out.app = std::move(app).value();
  out.redirect_uri = out.app.oauth_callback_url;
  out.state = state;
  out.code_challenge = params.code_challenge;
  out.consent_digest = ConsentDigest(out.app);
  return out;
}

Status OAuthService::CheckMayAuthorize(const ApiApp& app, const std::string& account_id) {
  CS_ASSIGN_OR_RETURN(Account account, accounts_.FindById(account_id));
  if (account.is_locked) return PermissionDenied("This account is locked.");
  if (!account.email_confirmed) {
    return PermissionDenied(
        "Confirm your email address first: open the link we emailed you, then authorize the "
        "app.");
  }
  if (!app.is_approved && app.owner_account_id != account_id) {
    return PermissionDenied(
        "This app has not been approved for production yet. Until it is, only its owner can "
        "authorize it.");
  }
  return Status::Ok();
}

StatusOr<std::string> OAuthService::IssueCode(const AuthorizeRequest& request,
                                              const std::string& account_id,
                                              const std::string& shown_consent) {
  if (!ConstantTimeEquals(shown_consent, ConsentDigest(request.app))) {
    return Status(Code::kConflict,
                  "This app's requested access or callback URL changed since the page was shown. "
                  "Review it again.");
  }
  CS_RETURN_IF_ERROR(CheckMayAuthorize(request.app, account_id));
  std::string code = NewSecret();
  AuthCode record;
  record.code_hash = Sha256Hex(code);
  record.client_id = request.app.client_id;
  record.account_id = account_id;
  record.redirect_uri = request.redirect_uri;
  record.state = request.state;
  record.scopes = request.app.scopes;
  record.code_challenge = request.code_challenge;
  record.expires_at = clock_.NowSeconds() + options_.code_ttl_seconds;
  CS_RETURN_IF_ERROR(oauth_.InsertCode(record));
  return code;
}

StatusOr<ApiApp> OAuthService::AuthenticateClient(const std::string& client_id,
                                                  const std::string& client_secret) {
  auto app = apps_.FindByClientId(client_id);
  if (!app.ok()) {
    if (app.status().code() != Code::kNotFound) return app.status();
    return InvalidClient();
  }
  if (!AppService::SecretMatches(*app, client_secret)) return InvalidClient();
  return app;
}

Status OAuthService::Revoke(const RevokeRequest& req) {
  CS_RETURN_IF_ERROR(AuthenticateClient(req.client_id, req.client_secret).status());
  if (req.token.empty()) return InvalidArgument("token is required", "token");
  auto token = oauth_.FindToken(OAuthTokenKey(req.token));
  if (!token.ok()) {
    // RFC 7009 §2.2: an unknown token is not an error.
    return token.status().code() == Code::kNotFound ? Status::Ok() : token.status();
  }
  // Another client's token is treated as unknown: this client learns nothing about it.
  if (token->grant.client_id != req.client_id) return Status::Ok();
  Status st = oauth_.RevokeGrant(token->grant.id, clock_.NowSeconds());
  return st.code() == Code::kNotFound ? Status::Ok() : st;
}

StatusOr<BearerPrincipal> OAuthService::AuthenticateBearer(const std::string& access_token) {
  static const char kInvalid[] = "Invalid or expired access token.";
  if (access_token.empty()) return Unauthenticated(kInvalid);
  const std::string key = OAuthTokenKey(access_token);
  StatusOr<TokenWithAccount> found =
      token_reads_ ? token_reads_->Find(key, [&] { return oauth_.FindTokenWithAccount(key); })
                   : oauth_.FindTokenWithAccount(key);
  if (!found.ok()) {
    if (found.status().code() != Code::kNotFound) return found.status();
    return Unauthenticated(kInvalid);
  }
  TokenRecord& token = found->token;
  if (token.kind != TokenKind::kAccess || token.grant.revoked_at != 0 ||
      clock_.NowSeconds() >= token.expires_at) {
    return Unauthenticated(kInvalid);
  }
  if (token.grant.pending) {
    return Unauthenticated(
        "This access token is not active yet: the user has not confirmed their account and "
        "authorized the app.");
  }
  BearerPrincipal p;
  p.account_id = std::move(token.grant.account_id);
  p.client_id = std::move(token.grant.client_id);
  p.scopes = std::move(token.grant.scopes);
  p.grant_id = std::move(token.grant.id);
  p.account = std::move(found->account);
  return p;
}

MintedGrant OAuthService::MintPendingGrant(const ApiApp& app, const std::string& account_id) {
  MintedGrant out;
  Grant& grant = out.stored.grant;
  grant.id = NewInternalId();
  grant.account_id = account_id;
  grant.client_id = app.client_id;
  grant.scopes = app.scopes;
  grant.redirect_uri = app.oauth_callback_url;
  grant.created_at = clock_.NowSeconds();
  grant.pending = true;
  out.tokens = MintTokens(out.stored.tokens);
  return out;
}

Status OAuthService::ActivatePendingGrants(const std::string& account_id,
                                           const std::string& client_id) {
  auto app = apps_.FindByClientId(client_id);
  if (!app.ok()) {
    if (app.status().code() != Code::kNotFound) return app.status();
    return NotFound("No app has this client_id.");
  }
  CS_RETURN_IF_ERROR(CheckMayAuthorize(*app, account_id));
  const int64_t expires_at = clock_.NowSeconds() + options_.access_token_ttl_seconds;
  CS_ASSIGN_OR_RETURN(int n, oauth_.ActivatePendingGrants(account_id, client_id, expires_at));
  if (n == 0) return NotFound("This app is not waiting for your authorization.");
  return Status::Ok();
}

Status OAuthService::DenyPendingGrants(const std::string& account_id,
                                       const std::string& client_id) {
  CS_ASSIGN_OR_RETURN(int n,
                      oauth_.RevokePendingGrants(account_id, client_id, clock_.NowSeconds()));
  if (n == 0) return NotFound("This app is not waiting for your authorization.");
  return Status::Ok();
}

std::vector<AuthorizedApp> OAuthService::WithApps(std::vector<Grant> grants) {
  std::vector<AuthorizedApp> out;
  std::set<std::string> seen;
  for (auto& g : grants) {
    if (!seen.insert(g.client_id).second) continue;
    auto app = apps_.FindByClientId(g.client_id);
    if (!app.ok()) continue;  // deleted apps have no live grants; tolerate a race
    out.push_back({std::move(g), std::move(app).value()});
  }
  return out;
}

StatusOr<std::vector<AuthorizedApp>> OAuthService::ListAuthorizedApps(
    const std::string& account_id) {
  CS_ASSIGN_OR_RETURN(std::vector<Grant> grants, oauth_.ListActiveGrants(account_id));
  return WithApps(std::move(grants));
}

StatusOr<std::vector<AuthorizedApp>> OAuthService::ListPendingApps(const std::string& account_id) {
  CS_ASSIGN_OR_RETURN(std::vector<Grant> grants, oauth_.ListPendingGrants(account_id));
  return WithApps(std::move(grants));
}

Status OAuthService::RevokeApp(const std::string& account_id, const std::string& client_id) {
  CS_ASSIGN_OR_RETURN(int n, oauth_.RevokeGrantsFor(account_id, client_id, clock_.NowSeconds()));
  if (n == 0) return NotFound("You have not authorized this app.");
  return Status::Ok();
}

}  // namespace countersign
