// OAuthService: the authorization-code grant (RFC 6749 §4.1) with Dropbox Sign's token
// endpoint, refresh-token rotation with reuse detection, and bearer-token validation.
// Security rules (DESIGN.md): codes single-use, <= 10 minutes, bound to client, redirect URI
// and state; a replayed code revokes what it issued; exact redirect URI match; secrets and
// tokens stored as SHA-256 hashes; reuse of a spent refresh token revokes the grant; a grant
// whose app changed its scopes or OAuth callback URL since the user approved it no longer
// refreshes; the consent decision is bound to the scopes and callback the page showed. PKCE S256
// (RFC 7636) when the client sends a challenge or the app requires it; refresh authenticates the
// client when the app requires it; RFC 7009 revocation (docs/oauth-security.md). Pending grants (an
// account created by an app, docs/account-creation.md) neither authenticate nor refresh until the
// user accepts the app; denying revokes them. Only accounts with a confirmed email authorize apps.
// Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "service/exact_read_cache.h"
#include "service/oauth_token_keys.h"
#include "store/account_store.h"
#include "store/app_store.h"
#include "store/oauth_store.h"

namespace countersign {

struct TokenResponse {
  std::string access_token;
  std::string refresh_token;
  int64_t expires_in = 0;
  std::string state;  // echoed from the authorization request; may be empty
};

// Who a bearer token speaks for.
struct BearerPrincipal {
  std::string account_id;
  std::string client_id;
  std::vector<std::string> scopes;
  std::string grant_id;
  // The account as read together with the token (the same statement, so as current as the
  // token itself); nullopt when it no longer exists.
  std::optional<Account> account;
};

// The parameters of GET /oauth/authorize (and of the consent form posted back).
struct AuthorizeParams {
  std::string response_type;
  std::string client_id;
  std::string redirect_uri;  // optional; when given it must match the registered callback
  std::string state;
  std::string code_challenge;  // PKCE (RFC 7636); optional unless the app requires it
  std::string code_challenge_method;
};

// A validated /oauth/authorize request, ready for the consent page.
struct AuthorizeRequest {
  ApiApp app;
  std::string redirect_uri;  // the registered OAuth callback URL
  std::string state;
  std::string code_challenge;  // empty when the client sent none
  // Names what the consent page shows (the app's scopes and OAuth callback URL); the page
  // posts it back and IssueCode refuses a decision on anything else.
  std::string consent_digest;
};

struct CodeExchange {
  std::string client_id;
  std::string client_secret;
  std::string code;
  std::string state;
  std::string redirect_uri;   // optional; when given it must match
  std::string code_verifier;  // PKCE; required exactly when the code has a challenge
};

struct RefreshExchange {
  std::string refresh_token;
  // Required when the app's refresh_requires_client_credentials is on; otherwise optional
  // (Dropbox Sign compatibility) and checked when given.
  std::string client_id;
  std::string client_secret;
};

// RFC 7009 revocation request of an authenticated client.
struct RevokeRequest {
  std::string client_id;
  std::string client_secret;
  std::string token;  // an access or a refresh token
};

struct AuthorizedApp {
  Grant grant;
  ApiApp app;
};

// A pending grant ready to be stored by the caller, and the tokens to hand to the app.
struct MintedGrant {
  PendingGrant stored;
  TokenResponse tokens;
};

class OAuthService {
 public:
  struct Options {
    int64_t code_ttl_seconds = 600;
    int64_t access_token_ttl_seconds = 3600;
    // From when (seconds) tokens are minted in issue order (OrderedTokensFrom); 0: always.
    int64_t ordered_tokens_from = 0;
    // When set (Stores::commit_watch), AuthenticateBearer keeps what it read per token in an
    // ExactReadCache: exact, so revocation still takes effect at the next request.
    const CommitWatch* commit_watch = nullptr;
  };

  OAuthService(AppStore& apps, OAuthStore& oauth, AccountStore& accounts, const Clock& clock,
               Options options);

  // Validates the query of GET /oauth/authorize. Errors are for an error page, never a
  // redirect: kInvalidArgument (bad response_type, missing client_id, redirect_uri that does
  // not exactly match the registered callback, app without OAuth, bad PKCE parameters, no
  // code_challenge for an app that requires PKCE) or kNotFound (unknown app).
  StatusOr<AuthorizeRequest> ValidateAuthorize(const AuthorizeParams& params);
  // The same without PKCE parameters.
  StatusOr<AuthorizeRequest> ValidateAuthorize(const std::string& response_type,
                                               const std::string& client_id,
                                               const std::string& redirect_uri,
                                               const std::string& state);

  // The consent digest of `app`: a SHA-256 over its OAuth callback URL and its scope set.
  static std::string ConsentDigest(const ApiApp& app);

  // kPermissionDenied when `account_id` may not authorize `app` (email not confirmed; not
  // approved for production and not its owner; locked account).
  Status CheckMayAuthorize(const ApiApp& app, const std::string& account_id);

  // Records consent and returns a new plaintext authorization code bound to the request's
  // scopes, callback URL, state and PKCE challenge. `shown_consent` is the consent_digest of
  // the page the user decided on: kConflict when the app's scopes or callback URL changed
  // since (the page must be shown again), and kPermissionDenied as CheckMayAuthorize.
  StatusOr<std::string> IssueCode(const AuthorizeRequest& request, const std::string& account_id,
                                  const std::string& shown_consent);

  // POST /oauth/token, authorization_code grant. kInvalidClient for bad client credentials;
  // kInvalidGrant for an unknown, expired, replayed or mismatched code, a missing or wrong
  // code_verifier for a code with a PKCE challenge, or a code_verifier for a code without
  // one (a replay also revokes the grant the code issued); kInvalidArgument (with path) for
  // missing fields.
  StatusOr<TokenResponse> ExchangeCode(const CodeExchange& request);

  // POST /oauth/token?refresh. Rotates the refresh token. Reuse of a spent token revokes the
  // grant (kInvalidGrant); so does nothing else. A grant whose app's scopes or OAuth callback
  // URL changed since consent, a revoked grant or a deleted app: kInvalidGrant. kInvalidClient
  // for wrong client credentials, or missing ones when the app requires them.
  StatusOr<TokenResponse> Refresh(const RefreshExchange& request);
  // Refresh without blocking on the rotation's commit where the store can (SQLite's group
  // commit): the checks and the reads run on the calling thread; `done` is called exactly once
  // with what Refresh would return, possibly on another thread (the store's committer) and
  // possibly before this returns. `done` must not throw.
  void RefreshAsync(const RefreshExchange& request,
                    std::function<void(StatusOr<TokenResponse>)> done);

  // RFC 7009: revokes the grant (every access and refresh token) of `request.token` when it
  // belongs to the authenticated client. Ok also for an unknown token or another client's
  // token (nothing is revoked then). kInvalidClient for bad credentials; kInvalidArgument
  // (path "token") when the token is missing.
  Status Revoke(const RevokeRequest& request);

  // Validates an access token. kUnauthenticated when unknown, expired, revoked or pending.
  // With Options::commit_watch, the token's row may come from an ExactReadCache rather than a
  // query: only while nothing was committed since it was read, so the answer is the same.
  StatusOr<BearerPrincipal> AuthenticateBearer(const std::string& access_token);
  // The bearer cache's counters; nullopt without one.
  std::optional<ReadCacheStats> BearerCacheStats() const {
    if (!token_reads_) return std::nullopt;
    return token_reads_->stats();
  }

  // Mints a pending grant of `app`'s scopes for `account_id` with its tokens, without storing
  // it (the caller stores `stored` in its own transaction; see AccountConfirmationStore).
  MintedGrant MintPendingGrant(const ApiApp& app, const std::string& account_id);
  // The user accepts the pending grant(s) they gave `client_id`: they become active, and their
  // access tokens are valid for a full lifetime from now. kPermissionDenied as
  // CheckMayAuthorize; kNotFound when there is no pending grant (or no such app).
  Status ActivatePendingGrants(const std::string& account_id, const std::string& client_id);
  // The user denies: the pending grant(s) are revoked for good. kNotFound when there is none.
  Status DenyPendingGrants(const std::string& account_id, const std::string& client_id);
  // The apps waiting for the account's consent, newest first.
  StatusOr<std::vector<AuthorizedApp>> ListPendingApps(const std::string& account_id);

  StatusOr<std::vector<AuthorizedApp>> ListAuthorizedApps(const std::string& account_id);
  // Revokes every grant the account gave the app.
  Status RevokeApp(const std::string& account_id, const std::string& client_id);

 private:
  // A refresh that passed its checks and minted its new pair, before the rotation.
  struct CheckedRefresh {
    std::string hash;      // of the refresh token presented
    std::string grant_id;  // its grant
    int64_t now = 0;
    TokenPairHashes next;
    TokenResponse out;
  };
  // Everything of Refresh before the rotation (errors as Refresh; a spent token revokes its
  // grant here).
  StatusOr<CheckedRefresh> CheckRefresh(const RefreshExchange& request);
  // Refresh's answer once RotateRefresh returned `rotated` (kConflict: the token was used
  // concurrently, so the grant is revoked).
  StatusOr<TokenResponse> FinishRefresh(CheckedRefresh checked, const Status& rotated);
  TokenResponse MintTokens(TokenPairHashes& hashes);
  // ExchangeCode's checks of the request against the code being redeemed (invalid_grant).
  static Status CheckCodeExchange(const CodeExchange& request, const AuthCode& code, int64_t now);
  // The app of `client_id` when `client_secret` is its secret; kInvalidClient otherwise.
  StatusOr<ApiApp> AuthenticateClient(const std::string& client_id,
                                      const std::string& client_secret);
  // Pairs each grant with its app, one entry per app (the first grant wins).
  std::vector<AuthorizedApp> WithApps(std::vector<Grant> grants);

  AppStore& apps_;
  OAuthStore& oauth_;
  AccountStore& accounts_;
  const Clock& clock_;
  Options options_;
  OAuthTokenMinter token_minter_{clock_, options_.ordered_tokens_from};
  std::unique_ptr<ExactReadCache<TokenWithAccount>> token_reads_;  // null without a watch
};

}  // namespace countersign
