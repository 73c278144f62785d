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

// The fields of one token request, and which grant it asks for.
struct TokenRequest {
  bool refresh = false;
  std::string code;
  std::string refresh_token;
  ClientCredentials client;
  api::RequestFields fields;  // for the authorization_code grant's other fields
};

// Reads a token request; kind-independent errors (bad body, unsupported grant_type).
StatusOr<TokenRequest> ReadTokenRequest(const http::Request& req) {
  CS_ASSIGN_OR_RETURN(api::RequestFields f, api::RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(std::string grant_type, Field(f, "grant_type"));
  TokenRequest out;
  CS_ASSIGN_OR_RETURN(out.code, Field(f, "code"));
  CS_ASSIGN_OR_RETURN(out.refresh_token, Field(f, "refresh_token"));
  CS_ASSIGN_OR_RETURN(out.client, Client(f, req));
  if (!grant_type.empty() && grant_type != "authorization_code" && grant_type != "refresh_token") {
    return InvalidArgument("Unsupported grant_type: use authorization_code or refresh_token.",
                           "grant_type");
  }
  // The Node SDK drops grant_type when given a plain object: decide from the request itself.
  out.refresh = grant_type == "refresh_token" ||
                (grant_type.empty() &&
                 (req.HasQuery("refresh") || (!out.refresh_token.empty() && out.code.empty())));
  out.fields = std::move(f);
  return out;
}

// The token answer of both grants (RFC 6749 §5.1); the code exchange's also has `state`, as
// Dropbox Sign's does (null when the authorization request had none).
json TokenBody(const TokenResponse& t, bool with_state) {
  json body = {{"access_token", t.access_token},
               {"token_type", "Bearer"},
               {"refresh_token", t.refresh_token},
               {"expires_in", t.expires_in}};
  if (with_state) body["state"] = t.state.empty() ? json(nullptr) : json(t.state);
  return body;
}

// The authorization_code grant's answer.
StatusOr<json> ExchangeCode(OAuthService& service, TokenRequest& request) {
  CodeExchange ex;
  ex.client_id = request.client.client_id;
  ex.client_secret = request.client.client_secret;
  ex.code = request.code;
  CS_ASSIGN_OR_RETURN(ex.state, Field(request.fields, "state"));
  CS_ASSIGN_OR_RETURN(ex.redirect_uri, Field(request.fields, "redirect_uri"));
  CS_ASSIGN_OR_RETURN(ex.code_verifier, Field(request.fields, "code_verifier"));
  CS_ASSIGN_OR_RETURN(TokenResponse t, service.ExchangeCode(ex));
  return TokenBody(t, /*with_state=*/true);
}

// The refresh_token grant's answer.
StatusOr<json> RefreshBody(const StatusOr<TokenResponse>& t) {
  if (!t.ok()) return t.status();
  return TokenBody(*t, /*with_state=*/false);
}

// RFC 7009 §2: 200 with an empty body once the token is revoked or found unknown.
Status Revoke(OAuthService& service, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(api::RequestFields f, api::RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(ClientCredentials client, Client(f, req));
  CS_ASSIGN_OR_RETURN(std::string token, Field(f, "token"));
  f.Accept("token_type_hint");  // optional, and not needed: both kinds revoke the grant
  return service.Revoke(RevokeRequest{client.client_id, client.client_secret, token});
}

// Adds the headers every response of a client-authenticated OAuth endpoint carries;
// `basic_auth`: the request tried HTTP Basic authentication.
http::Response Finish(http::Response resp, bool basic_auth) {
  resp.SetHeader("Cache-Control", "no-store");  // RFC 6749 §5.1
  resp.SetHeader("Pragma", "no-cache");
  if (resp.status == 401 && basic_auth) {
    // RFC 6749 §5.2: a client that tried HTTP authentication is told the scheme.
    resp.SetHeader("WWW-Authenticate", "Basic realm=\"countersign\"");
  }
  return resp;
}

}  // namespace

void RegisterTokenRoutes(http::Router& router, OAuthService& service, const PublicUrl& public_url,
                         OpsCounters* counters) {
  // The refresh grant answers once its rotation is durable, without holding this thread
  // (OAuthService::RefreshAsync); the code exchange answers at once.
  auto token = [&service, counters](http::Request& r, http::Responder respond) {
    auto answer = [counters, basic = HasBasicAuthorization(r), respond = std::move(respond)](
                      const char* kind, const StatusOr<json>& body) {
      if (counters != nullptr) {
        counters->CountOAuthGrant(kind,
                                  body.ok() ? "success" : wire::ErrorNameFor(body.status().code()));
      }
      respond(Finish(api::Respond(body), basic));
    };
    StatusOr<TokenRequest> request = ReadTokenRequest(r);
    if (!request.ok()) return answer("unsupported", request.status());
    if (!request->refresh) {
      return answer("authorization_code", ExchangeCode(service, *request));
    }
    RefreshExchange ex{request->refresh_token, request->client.client_id,
                       request->client.client_secret};
    service.RefreshAsync(ex, [answer = std::move(answer)](StatusOr<TokenResponse> t) {
      StatusOr<json> body = Internal("The request could not be processed.");
      try {
        body = RefreshBody(t);
      } catch (const std::exception&) {
        // `done` must not throw: answered as a 500 below
      }
      answer("refresh_token", body);
    });
  };
  router.AddAsync("POST", "/oauth/token", token);
  router.AddAsync("POST", "/v3/oauth/token", token);
  auto revoke = [&service](http::Request& r) {
    Status st = Revoke(service, r);
    http::Response resp = st.ok() ? http::Response{} : http::ErrorResponse(st);
    return Finish(std::move(resp), HasBasicAuthorization(r));
  };
  router.Add("POST", "/oauth/revoke", revoke);
  router.Add("POST", "/v3/oauth/revoke", revoke);
  RegisterMetadataRoute(router, public_url);
}

}  // namespace countersign::api
