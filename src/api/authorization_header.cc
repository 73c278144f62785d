#include "api/authorization_header.h"

#include <strings.h>

#include "http/basic_credentials.h"

namespace countersign::api {

namespace {

constexpr char kNoCredentials[] = "Unauthorized user. No credentials supplied.";

bool StartsWithCaseless(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

std::string_view SkipSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

}  // namespace

StatusOr<AuthorizationCredentials> ParseAuthorizationHeader(std::string_view header) {
  AuthorizationCredentials out;
  if (http::IsBasicScheme(header)) {
    out.scheme = AuthorizationCredentials::Scheme::kBasic;
    std::optional<http::BasicCredentials> basic = http::DecodeBasic(header, 1024);
    if (!basic) return Unauthenticated("Malformed Basic credentials.");
    out.secret = std::move(basic->user);
    return out;
  }
  if (!StartsWithCaseless(header, "bearer ")) return Unauthenticated(kNoCredentials);
  out.scheme = AuthorizationCredentials::Scheme::kBearer;
  out.secret = std::string(SkipSpaces(header.substr(7)));
  return out;
}

}  // namespace countersign::api
