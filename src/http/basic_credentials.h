// HTTP Basic credentials (RFC 7617): the Authorization value "Basic base64(user:password)",
// used for API keys (the key as the user) and for OAuth client authentication
// (client_secret_basic). Only the syntax; callers decide what the parts mean. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace countersign::http {

struct BasicCredentials {
  std::string user;
  std::string password;    // after the first ':'; empty when there is none
  bool has_colon = false;  // "user:password" rather than just "user"
};

// True when `header` uses the Basic scheme (case-insensitive "basic ").
bool IsBasicScheme(std::string_view header);

// Decodes the credentials of a Basic `header` (spaces after the scheme are skipped); nullopt
// when the header is not Basic, or its credentials are empty, longer than `max_encoded`
// characters or not base64.
std::optional<BasicCredentials> DecodeBasic(std::string_view header, size_t max_encoded);

}  // namespace countersign::http
