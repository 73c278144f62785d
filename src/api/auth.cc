#include "api/auth.h"

#include "api/authorization_header.h"
#include "model/scopes.h"

namespace countersign::api {

ApiAuthenticator::ApiAuthenticator(AccountService& accounts, OAuthService& oauth,
                                   ApiRateLimits* limits)
    : accounts_(accounts), oauth_(oauth), limits_(limits) {}

StatusOr<Principal> ApiAuthenticator::Authenticate(const http::Request& request,
                                                   const std::vector<std::string>& any_of_scopes,
                                                   std::optional<RateTier> tier_in) {
  const RateTier tier = tier_in.value_or(ApiRateLimits::TierOf(request.path));
  CS_ASSIGN_OR_RETURN(AuthorizationCredentials credentials,
                      ParseAuthorizationHeader(request.Header("authorization").value_or("")));
  Principal p;
  if (credentials.scheme == AuthorizationCredentials::Scheme::kBasic) {
    CS_ASSIGN_OR_RETURN(p.account, accounts_.AuthenticateApiKey(credentials.secret));
    p.via_api_key = true;
    if (limits_) CS_RETURN_IF_ERROR(limits_->Count(request, p.account.id, "", tier));
    return p;
  }
  CS_ASSIGN_OR_RETURN(BearerPrincipal bearer, oauth_.AuthenticateBearer(credentials.secret));
  if (any_of_scopes.empty()) {
    return PermissionDenied("This operation is only available with an API key.");
  }
  if (!HasAnyScope(bearer.scopes, any_of_scopes)) {
    std::string needed;
    for (const auto& s : any_of_scopes) needed += (needed.empty() ? "" : " or ") + s;
    return PermissionDenied("Your access token does not have the scope this operation needs (" +
                            needed + ").");
  }
  // The account was read with the token, in the same statement: no second lookup.
  if (!bearer.account) return Unauthenticated("Invalid or expired access token.");
  if (bearer.account->is_locked) return Unauthenticated("This account is locked.");
  p.account = std::move(*bearer.account);
  p.client_id = std::move(bearer.client_id);
  p.scopes = std::move(bearer.scopes);
  if (limits_) CS_RETURN_IF_ERROR(limits_->Count(request, p.account.id, p.client_id, tier));
  return p;
}

}  // namespace countersign::api
