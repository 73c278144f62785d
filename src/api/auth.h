// ApiAuthenticator: who is calling a /v3 endpoint. Accepts the account's API key as the HTTP
// Basic username (`Authorization: Basic base64("KEY:")`) and OAuth access tokens
// (`Authorization: Bearer TOKEN`), and enforces the operation's scopes for tokens
// (CONTRACT.md §1: any one of the listed scopes is enough). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/rate_limits.h"
#include "core/status.h"
#include "http/message.h"
#include "service/account_service.h"
#include "service/oauth_service.h"

namespace countersign::api {

struct Principal {
  Account account;
  bool via_api_key = false;
  std::string client_id;            // the app, for bearer tokens
  std::vector<std::string> scopes;  // granted scopes, for bearer tokens
};

class ApiAuthenticator {
 public:
  // `limits` (may be null: no rate limits) counts every authenticated call.
  ApiAuthenticator(AccountService& accounts, OAuthService& oauth, ApiRateLimits* limits);

  // `any_of_scopes`: the scopes of which a bearer token needs one; empty means the operation
  // is API-key only. The call counts in rate tier `tier`, by default the tier of its path
  // (ApiRateLimits::TierOf; handlers whose parameters may carry test_mode pass
  // TierOf(path, fields)). Errors: kUnauthenticated (no, malformed, unknown, expired or
  // revoked credentials), kPermissionDenied (token without a needed scope, or a token on an
  // API-key-only operation), kResourceExhausted beyond the caller's rate limit (the rate
  // headers are left in request.response_headers either way).
  StatusOr<Principal> Authenticate(const http::Request& request,
                                   const std::vector<std::string>& any_of_scopes,
                                   std::optional<RateTier> tier = std::nullopt);

 private:
  AccountService& accounts_;
  OAuthService& oauth_;
  ApiRateLimits* limits_;
};

}  // namespace countersign::api
