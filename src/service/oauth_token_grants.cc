// OAuthService's token grants (POST /oauth/token): the authorization code exchange and the
// refresh grant (blocking, or answered from the committer with RefreshAsync). The rest of the
// service is oauth_service.cc.
#include <memory>

#include "core/crypto.h"
#include "core/ids.h"
#include "model/scopes.h"
#include "service/app_service.h"
#include "service/oauth_errors.h"
#include "service/oauth_service.h"
#include "service/pkce.h"

namespace countersign {

TokenResponse OAuthService::MintTokens(TokenPairHashes& hashes) {
  TokenResponse out;
  out.access_token = token_minter_.Mint();
  out.refresh_token = token_minter_.Mint();
  out.expires_in = options_.access_token_ttl_seconds;
  hashes.access_hash = OAuthTokenKey(out.access_token);
  hashes.refresh_hash = OAuthTokenKey(out.refresh_token);
  hashes.access_expires_at = clock_.NowSeconds() + options_.access_token_ttl_seconds;
  return out;
}

StatusOr<TokenResponse> OAuthService::ExchangeCode(const CodeExchange& req) {
  if (req.client_id.empty()) return InvalidArgument("client_id is required", "client_id");
  if (req.client_secret.empty()) {
    return InvalidArgument("client_secret is required", "client_secret");
  }
  if (req.code.empty()) return InvalidArgument("code is required", "code");
  CS_RETURN_IF_ERROR(AuthenticateClient(req.client_id, req.client_secret).status());

  const int64_t now = clock_.NowSeconds();
  TokenResponse out;
  auto issue = [&](const AuthCode& code) -> StatusOr<PendingGrant> {
    CS_RETURN_IF_ERROR(CheckCodeExchange(req, code, now));
    PendingGrant pending;
    pending.grant.id = NewInternalId();
    pending.grant.account_id = code.account_id;
    pending.grant.client_id = code.client_id;
    pending.grant.scopes = code.scopes;
    pending.grant.redirect_uri = code.redirect_uri;
    pending.grant.created_at = now;
    out = MintTokens(pending.tokens);
    out.state = code.state;
    return pending;
  };
  auto redeemed = oauth_.RedeemCode(Sha256Hex(req.code), now, issue);
  if (!redeemed.ok()) {
    if (redeemed.status().code() != Code::kNotFound) return redeemed.status();
    return InvalidGrant("Invalid authorization code.");
  }
  // A replay: the store revoked what the code's first use issued (RFC 6749 §4.1.2).
  if (!redeemed->first_use) return InvalidGrant("This authorization code has already been used.");
  CS_RETURN_IF_ERROR(redeemed->issued);
  // A lock that comes after this is still honoured: Bearer calls check the account each time.
  auto account = accounts_.FindById(redeemed->code.account_id);
  if (!account.ok() || account->is_locked) {
    Status revoked = oauth_.RevokeGrant(redeemed->code.grant_id, now);
    if (!revoked.ok()) return revoked;
    return InvalidGrant("The account is not available.");
  }
  return out;
}

Status OAuthService::CheckCodeExchange(const CodeExchange& req, const AuthCode& code, int64_t now) {
  if (code.client_id != req.client_id) {
    return InvalidGrant("This authorization code was issued to another client.");
  }
  if (now >= code.expires_at) return InvalidGrant("This authorization code has expired.");
  if (!code.state.empty() && req.state != code.state) {
    return InvalidGrant("The state does not match the authorization request.");
  }
  if (!req.redirect_uri.empty() && req.redirect_uri != code.redirect_uri) {
    return InvalidGrant("The redirect_uri does not match the authorization request.");
  }
  if (code.code_challenge.empty()) {
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a downgrade.
    if (!req.code_verifier.empty()) {
      return InvalidGrant(
          "code_verifier was sent but the authorization request had no PKCE "
          "code_challenge.");
    }
  } else if (req.code_verifier.empty()) {
    return InvalidGrant(
        "code_verifier is required: the authorization request had a PKCE "
        "code_challenge.");
  } else if (!VerifierMatches(req.code_verifier, code.code_challenge)) {
    return InvalidGrant("The code_verifier does not match the code_challenge.");
  }
  return Status::Ok();
}

StatusOr<TokenResponse> OAuthService::Refresh(const RefreshExchange& req) {
  CS_ASSIGN_OR_RETURN(CheckedRefresh checked, CheckRefresh(req));
  const Status rotated = oauth_.RotateRefresh(checked.hash, checked.now, checked.next);
  return FinishRefresh(std::move(checked), rotated);
}

void OAuthService::RefreshAsync(const RefreshExchange& req,
                                std::function<void(StatusOr<TokenResponse>)> done) {
  StatusOr<CheckedRefresh> checked = CheckRefresh(req);
  if (!checked.ok()) return done(checked.status());
  auto shared = std::make_shared<CheckedRefresh>(std::move(*checked));
  oauth_.RotateRefreshAsync(shared->hash, shared->now, shared->next,
                            [this, shared, done = std::move(done)](Status rotated) {
                              done(FinishRefresh(std::move(*shared), rotated));
                            });
}

StatusOr<OAuthService::CheckedRefresh> OAuthService::CheckRefresh(const RefreshExchange& req) {
  if (req.refresh_token.empty()) {
    return InvalidArgument("refresh_token is required", "refresh_token");
  }
  const int64_t now = clock_.NowSeconds();
  const std::string hash = OAuthTokenKey(req.refresh_token);
  // The token, its grant and the grant's app in one read.
  auto found = oauth_.FindTokenWithApp(hash);
  if (!found.ok()) {
    if (found.status().code() != Code::kNotFound) return found.status();
    return InvalidGrant("Invalid refresh token.");
  }
  const TokenRecord& token = found->token;
  if (token.kind != TokenKind::kRefresh) return InvalidGrant("Invalid refresh token.");
  const Grant& grant = token.grant;
  if (!found->app) return InvalidGrant("The app of this refresh token no longer exists.");
  const ApiApp& app = *found->app;
  if (req.client_id.empty() || req.client_secret.empty()) {
    if (app.refresh_requires_client_credentials) {
      std::string missing = req.client_id.empty() && req.client_secret.empty()
                                ? "client_id and client_secret are"
                                : (req.client_id.empty() ? "client_id is" : "client_secret is");
      return Status(Code::kInvalidClient,
                    missing +
                        " required: this app's setting refresh_requires_client_credentials is "
                        "on, so refreshing a token needs the app's client credentials.");
    }
  }
  if (!req.client_id.empty() || !req.client_secret.empty()) {
    if (req.client_id != grant.client_id || !AppService::SecretMatches(app, req.client_secret)) {
      return InvalidClient();
    }
  }
  if (grant.revoked_at != 0) return InvalidGrant("This authorization has been revoked.");
  if (grant.pending) {
    return InvalidGrant("The user has not confirmed their account and authorized this app yet.");
  }
  if (token.spent_at != 0) {
    // A spent refresh token presented again: it was stolen or the client is confused.
    // Either way the whole grant is revoked (RFC 9700 §4.14.2).
    CS_RETURN_IF_ERROR(oauth_.RevokeGrant(grant.id, now));
    return InvalidGrant(
        "This refresh token has already been used; the authorization has been "
        "revoked.");
  }
  if (!SameScopeSet(app.scopes, grant.scopes)) {
    return InvalidGrant(
        "The app's scopes changed since the user authorized it; the user must "
        "authorize the app again.");
  }
  if (grant.redirect_uri != app.oauth_callback_url) {
    return InvalidGrant(
        "The app's OAuth callback URL changed since the user authorized it; the user must "
        "authorize the app again.");
  }
  CheckedRefresh checked;
  checked.hash = hash;
  checked.grant_id = grant.id;
  checked.now = now;
  checked.out = MintTokens(checked.next);
  return checked;
}

StatusOr<TokenResponse> OAuthService::FinishRefresh(CheckedRefresh checked, const Status& rotated) {
  if (rotated.code() == Code::kConflict) {
    // Lost a race with another use of the same token: that is reuse too.
    CS_RETURN_IF_ERROR(oauth_.RevokeGrant(checked.grant_id, checked.now));
    return InvalidGrant(
        "This refresh token has already been used; the authorization has been "
        "revoked.");
  }
  CS_RETURN_IF_ERROR(rotated);
  return std::move(checked.out);
}

}  // namespace countersign
