#include "api/oauth_metadata.h"

#include <nlohmann/json.hpp>

#include "http/status_mapping.h"
#include "model/scopes.h"

namespace countersign::api {

std::string MetadataJson(const std::string& issuer) {
  const nlohmann::json client_auth = {"client_secret_basic", "client_secret_post"};
  nlohmann::json doc = {
      {"issuer", issuer},
      {"authorization_endpoint", issuer + "/oauth/authorize"},
      {"token_endpoint", issuer + "/oauth/token"},
      {"revocation_endpoint", issuer + "/oauth/revoke"},
      {"response_types_supported", {"code"}},
      {"response_modes_supported", {"query"}},
      {"grant_types_supported", {"authorization_code", "refresh_token"}},
      {"code_challenge_methods_supported", {"S256"}},
      {"token_endpoint_auth_methods_supported", client_auth},
      {"revocation_endpoint_auth_methods_supported", client_auth},
      {"scopes_supported", AllScopes()},
      {"authorization_response_iss_parameter_supported", true},
  };
  return doc.dump();
}

void RegisterMetadataRoute(http::Router& router, const PublicUrl& public_url) {
  router.Add("GET", "/.well-known/oauth-authorization-server", [&public_url](http::Request&) {
    http::Response resp = http::JsonResponse(200, MetadataJson(public_url.Get()));
    resp.SetHeader("Cache-Control", "max-age=3600");
    return resp;
  });
}

}  // namespace countersign::api
