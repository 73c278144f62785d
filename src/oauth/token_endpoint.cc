#include "oauth/token_endpoint.h"

#include <nlohmann/json.hpp>

#include "api/fields.h"
#include "api/respond.h"
#include "http/status_mapping.h"

namespace countersign::oauth {

using nlohmann::json;

namespace {

StatusOr<std::string> Field(api::RequestFields& f, const char* name) {
  CS_ASSIGN_OR_RETURN(auto v, f.String(name));
  return v.value_or("");
}

StatusOr<json> Token(OAuthService& service, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(api::RequestFields f, api::RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(std::string grant_type, Field(f, "grant_type"));
  CS_ASSIGN_OR_RETURN(std::string code, Field(f, "code"));
  CS_ASSIGN_OR_RETURN(std::string refresh_token, Field(f, "refresh_token"));
  CS_ASSIGN_OR_RETURN(std::string client_id, Field(f, "client_id"));
  CS_ASSIGN_OR_RETURN(std::string client_secret, Field(f, "client_secret"));
  if (!grant_type.empty() && grant_type != "authorization_code" && grant_type != "refresh_token") {
    return InvalidArgument("Unsupported grant_type: use authorization_code or refresh_token.",
                           "grant_type");
  }
  // The Node SDK drops grant_type when given a plain object: decide from the request itself.
  bool refresh =
      grant_type == "refresh_token" ||
      (grant_type.empty() && (req.HasQuery("refresh") || (!refresh_token.empty() && code.empty())));
  json body;
  if (refresh) {
    RefreshExchange ex{refresh_token, client_id, client_secret};
    CS_ASSIGN_OR_RETURN(TokenResponse t, service.Refresh(ex));
    body = {{"access_token", t.access_token},
            {"token_type", "Bearer"},
            {"refresh_token", t.refresh_token},
            {"expires_in", t.expires_in}};
  } else {
    CodeExchange ex;
    ex.client_id = client_id;
    ex.client_secret = client_secret;
    ex.code = code;
    CS_ASSIGN_OR_RETURN(ex.state, Field(f, "state"));
    CS_ASSIGN_OR_RETURN(ex.redirect_uri, Field(f, "redirect_uri"));
    CS_ASSIGN_OR_RETURN(TokenResponse t, service.ExchangeCode(ex));
    body = {{"access_token", t.access_token},
            {"token_type", "Bearer"},
            {"refresh_token", t.refresh_token},
            {"expires_in", t.expires_in},
            {"state", t.state.empty() ? json(nullptr) : json(t.state)}};
  }
  return body;
}

}  // namespace

void RegisterTokenRoutes(http::Router& router, OAuthService& service) {
  auto handler = [&service](http::Request& r) {
    http::Response resp = api::Respond(Token(service, r));
    resp.SetHeader("Cache-Control", "no-store");  // RFC 6749 §5.1
    resp.SetHeader("Pragma", "no-cache");
    return resp;
  };
  router.Add("POST", "/oauth/token", handler);
  router.Add("POST", "/v3/oauth/token", handler);
}

}  // namespace countersign::oauth
