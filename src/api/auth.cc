#include "api/auth.h"

#include <sodium.h>
#include <strings.h>

#include "service/scopes.h"

namespace countersign::api {

namespace {

constexpr char kNoCredentials[] = "Unauthorized user. No credentials supplied.";

bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

StatusOr<std::string> DecodeBasicUser(std::string_view encoded) {
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  std::string decoded(encoded.size(), '\0');
  size_t len = 0;
  if (encoded.empty() || encoded.size() > 1024 ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                        encoded.data(), encoded.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Unauthenticated("Malformed Basic credentials.");
  }
  decoded.resize(len);
  return decoded.substr(0, decoded.find(':'));
}

}  // namespace

ApiAuthenticator::ApiAuthenticator(AccountService& accounts, OAuthService& oauth,
                                   ApiRateLimits* limits)
    : accounts_(accounts), oauth_(oauth), limits_(limits) {}

StatusOr<Principal> ApiAuthenticator::Authenticate(const http::Request& request,
                                                   const std::vector<std::string>& any_of_scopes) {
  auto header = request.Header("authorization");
  if (!header || header->empty()) return Unauthenticated(kNoCredentials);
  Principal p;
  if (StartsWithCaseless(*header, "basic ")) {
    CS_ASSIGN_OR_RETURN(std::string key, DecodeBasicUser(header->substr(6)));
    CS_ASSIGN_OR_RETURN(p.account, accounts_.AuthenticateApiKey(key));
    p.via_api_key = true;
    if (limits_) CS_RETURN_IF_ERROR(limits_->Count(request, p.account.id, ""));
    return p;
  }
  if (!StartsWithCaseless(*header, "bearer ")) return Unauthenticated(kNoCredentials);
  std::string_view token = header->substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  CS_ASSIGN_OR_RETURN(BearerPrincipal bearer, oauth_.AuthenticateBearer(std::string(token)));
  if (any_of_scopes.empty()) {
    return PermissionDenied("This operation is only available with an API key.");
  }
  if (!HasAnyScope(bearer.scopes, any_of_scopes)) {
    std::string needed;
    for (const auto& s : any_of_scopes) needed += (needed.empty() ? "" : " or ") + s;
    return PermissionDenied("Your access token does not have the scope this operation needs (" +
                            needed + ").");
  }
  auto account = accounts_.Get(bearer.account_id);
  if (!account.ok()) {
    if (account.status().code() != Code::kNotFound) return account.status();
    return Unauthenticated("Invalid or expired access token.");
  }
  if (account->is_locked) return Unauthenticated("This account is locked.");
  p.account = std::move(account).value();
  p.client_id = std::move(bearer.client_id);
  p.scopes = std::move(bearer.scopes);
  if (limits_) CS_RETURN_IF_ERROR(limits_->Count(request, p.account.id, p.client_id));
  return p;
}

}  // namespace countersign::api
