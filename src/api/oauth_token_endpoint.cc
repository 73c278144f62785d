#include "api/oauth_token_endpoint.h"

#include <nlohmann/json.hpp>

#include "api/fields.h"
#include "api/oauth_client_auth.h"
#include "api/oauth_metadata.h"
#include "api/respond.h"
#include "http/status_mapping.h"
#include "wire/error.h"

namespace countersign::api {

using nlohmann::json;

namespace {

StatusOr<std::string> Field(api::RequestFields& f, const char* name) {
  CS_ASSIGN_OR_RETURN(auto v, f.String(name));
  return v.value_or("");
}

// The client credentials of `req` from its body fields and Authorization header.
StatusOr<ClientCredentials> Client(api::RequestFields& f, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(std::string client_id, Field(f, "client_id"));
  CS_ASSIGN_OR_RETURN(std::string client_secret, Field(f, "client_secret"));
  return ReadClientCredentials(req, client_id, client_secret);
}

// Answers one token request; `kind` is set to the grant type it was taken for
// ("authorization_code", "refresh_token"), or stays "unsupported" when it failed earlier.
StatusOr<json> Token(OAuthService& service, const http::Request& req, std::string& kind) {
  CS_ASSIGN_OR_RETURN(api::RequestFields f, api::RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(std::string grant_type, Field(f, "grant_type"));
  CS_ASSIGN_OR_RETURN(std::string code, Field(f, "code"));
  CS_ASSIGN_OR_RETURN(std::string refresh_token, Field(f, "refresh_token"));
  CS_ASSIGN_OR_RETURN(ClientCredentials client, Client(f, req));
  if (!grant_type.empty() && grant_type != "authorization_code" && grant_type != "refresh_token") {
    return InvalidArgument("Unsupported grant_type: use authorization_code or refresh_token.",
                           "grant_type");
  }
  // The Node SDK drops grant_type when given a plain object: decide from the request itself.
  bool refresh =
      grant_type == "refresh_token" ||
      (grant_type.empty() && (req.HasQuery("refresh") || (!refresh_token.empty() && code.empty())));
  kind = refresh ? "refresh_token" : "authorization_code";
  json body;
  if (refresh) {
    RefreshExchange ex{refresh_token, client.client_id, client.client_secret};
    CS_ASSIGN_OR_RETURN(TokenResponse t, service.Refresh(ex));
    body = {{"access_token", t.access_token},
            {"token_type", "Bearer"},
            {"refresh_token", t.refresh_token},
            {"expires_in", t.expires_in}};
  } else {
    CodeExchange ex;
    ex.client_id = client.client_id;
    ex.client_secret = client.client_secret;
    ex.code = code;
    CS_ASSIGN_OR_RETURN(ex.state, Field(f, "state"));
    CS_ASSIGN_OR_RETURN(ex.redirect_uri, Field(f, "redirect_uri"));
    CS_ASSIGN_OR_RETURN(ex.code_verifier, Field(f, "code_verifier"));
    CS_ASSIGN_OR_RETURN(TokenResponse t, service.ExchangeCode(ex));
    body = {{"access_token", t.access_token},
            {"token_type", "Bearer"},
            {"refresh_token", t.refresh_token},
            {"expires_in", t.expires_in},
            {"state", t.state.empty() ? json(nullptr) : json(t.state)}};
  }
  return body;
}

// RFC 7009 §2: 200 with an empty body once the token is revoked or found unknown.
Status Revoke(OAuthService& service, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(api::RequestFields f, api::RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(ClientCredentials client, Client(f, req));
  CS_ASSIGN_OR_RETURN(std::string token, Field(f, "token"));
  f.Accept("token_type_hint");  // optional, and not needed: both kinds revoke the grant
  return service.Revoke(RevokeRequest{client.client_id, client.client_secret, token});
}

// Adds the headers every response of a client-authenticated OAuth endpoint carries.
http::Response Finish(http::Response resp, const http::Request& req) {
  resp.SetHeader("Cache-Control", "no-store");  // RFC 6749 §5.1
  resp.SetHeader("Pragma", "no-cache");
  if (resp.status == 401 && HasBasicAuthorization(req)) {
    // RFC 6749 §5.2: a client that tried HTTP authentication is told the scheme.
    resp.SetHeader("WWW-Authenticate", "Basic realm=\"countersign\"");
  }
  return resp;
}

}  // namespace

void RegisterTokenRoutes(http::Router& router, OAuthService& service, const PublicUrl& public_url,
                         OpsCounters* counters) {
  auto token = [&service, counters](http::Request& r) {
    std::string kind = "unsupported";
    StatusOr<json> answer = Token(service, r, kind);
    if (counters != nullptr) {
      counters->CountOAuthGrant(
          kind, answer.ok() ? "success" : wire::ErrorNameFor(answer.status().code()));
    }
    return Finish(api::Respond(answer), r);
  };
  router.Add("POST", "/oauth/token", token);
  router.Add("POST", "/v3/oauth/token", token);
  auto revoke = [&service](http::Request& r) {
    Status st = Revoke(service, r);
    http::Response resp = st.ok() ? http::Response{} : http::ErrorResponse(st);
    return Finish(std::move(resp), r);
  };
  router.Add("POST", "/oauth/revoke", revoke);
  router.Add("POST", "/v3/oauth/revoke", revoke);
  RegisterMetadataRoute(router, public_url);
}

}  // namespace countersign::api
