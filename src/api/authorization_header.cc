#include "api/authorization_header.h"

#include <sodium.h>
#include <strings.h>

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

StatusOr<std::string> DecodeBasicUser(std::string_view encoded) {
  encoded = SkipSpaces(encoded);
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

StatusOr<AuthorizationCredentials> ParseAuthorizationHeader(std::string_view header) {
  AuthorizationCredentials out;
  if (StartsWithCaseless(header, "basic ")) {
    out.scheme = AuthorizationCredentials::Scheme::kBasic;
    CS_ASSIGN_OR_RETURN(out.secret, DecodeBasicUser(header.substr(6)));
    return out;
  }
  if (!StartsWithCaseless(header, "bearer ")) return Unauthenticated(kNoCredentials);
  out.scheme = AuthorizationCredentials::Scheme::kBearer;
  out.secret = std::string(SkipSpaces(header.substr(7)));
  return out;
}

}  // namespace countersign::api
