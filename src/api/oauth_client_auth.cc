#include "api/oauth_client_auth.h"

#include <string_view>

#include "http/basic_credentials.h"

namespace countersign::api {
namespace {

Status Malformed() {
  return Status(Code::kInvalidClient,
                "Malformed HTTP Basic client credentials: send base64(client_id:client_secret).");
}

}  // namespace

bool HasBasicAuthorization(const http::Request& request) {
  return http::IsBasicScheme(request.Header("authorization").value_or(""));
}

StatusOr<ClientCredentials> ReadClientCredentials(const http::Request& request,
                                                  const std::string& body_id,
                                                  const std::string& body_secret) {
  ClientCredentials out{body_id, body_secret, false};
  if (!HasBasicAuthorization(request)) return out;
  std::optional<http::BasicCredentials> basic =
      http::DecodeBasic(*request.Header("authorization"), 2048);
  if (!basic || !basic->has_colon) return Malformed();
  // RFC 6749 §2.3.1: both parts are application/x-www-form-urlencoded before encoding.
  std::string id = http::UrlDecode(basic->user);
  std::string secret = http::UrlDecode(basic->password);
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

}  // namespace countersign::api
