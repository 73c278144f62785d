// Parsing of the Authorization header of /v3 calls: HTTP Basic with the account's API key as
// the username (`Basic base64("KEY:")`), or an OAuth access token (`Bearer TOKEN`). Only the
// syntax; ApiAuthenticator looks the credentials up. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign::api {

struct AuthorizationCredentials {
  enum class Scheme { kBasic, kBearer };
  Scheme scheme = Scheme::kBasic;
  std::string secret;  // the API key (Basic username), or the bearer token (may be empty)
};

// Parses `header` (the Authorization value; empty when absent). Schemes are case-insensitive
// and leading spaces before the credentials are skipped. kUnauthenticated "Unauthorized user.
// No credentials supplied." for an empty header or another scheme, and "Malformed Basic
// credentials." for Basic credentials that are empty, over 1024 characters or not base64.
StatusOr<AuthorizationCredentials> ParseAuthorizationHeader(std::string_view header);

}  // namespace countersign::api
