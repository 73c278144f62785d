#include "oauth/client_auth.h"

#include <sodium.h>
#include <strings.h>

#include <string_view>

namespace countersign::oauth {
namespace {

Status Malformed() {
  return Status(Code::kInvalidClient,
                "Malformed HTTP Basic client credentials: send base64(client_id:client_secret).");
}

}  // namespace

bool HasBasicAuthorization(const http::Request& request) {
  std::optional<std::string_view> header = request.Header("authorization");
  return header && header->size() >= 6 && strncasecmp(header->data(), "basic ", 6) == 0;
}

StatusOr<ClientCredentials> ReadClientCredentials(const http::Request& request,
                                                  const std::string& body_id,
                                                  const std::string& body_secret) {
  ClientCredentials out{body_id, body_secret, false};
  if (!HasBasicAuthorization(request)) return out;
  std::string_view encoded = request.Header("authorization")->substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  std::string decoded(encoded.size(), '\0');
  size_t length = 0;
  if (encoded.empty() || encoded.size() > 2048 ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                        encoded.data(), encoded.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Malformed();
  }
  decoded.resize(length);
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return Malformed();
  // RFC 6749 §2.3.1: both parts are application/x-www-form-urlencoded before encoding.
  std::string id = http::UrlDecode(std::string_view(decoded).substr(0, colon));
  std::string secret = http::UrlDecode(std::string_view(decoded).substr(colon + 1));
  if ((!body_id.empty() && body_id != id) || (!body_secret.empty() && body_secret != secret)) {
    return Status(Code::kInvalidClient,
                  "The client credentials in the Authorization header and in the body differ: "
                  "authenticate with one method only.");
  }
  out.client_id = std::move(id);
  out.client_secret = std::move(secret);
  out.via_basic = true;
  return out;
}

}  // namespace countersign::oauth
