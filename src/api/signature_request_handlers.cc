// /v3/signature_request: send, create_embedded, get, list, cancel, remind, update.
#include "api/fields.h"
#include "api/rate_limits.h"
#include "api/request_viewer.h"
#include "api/respond.h"
#include "api/send_request_parser.h"
#include "api/sent_request_body.h"
#include "api/signature_request_routes.h"
#include "http/status_mapping.h"
#include "service/custom_fields.h"
#include "service/field_values.h"
#include "service/form_fields.h"
#include "wire/render.h"
#include "wire/signature_request_render.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kReadScopes = {"request_signature", "signature_request_access"};
const std::vector<std::string> kUpdateScopes = {"signature_request_access"};
// create_embedded: what the spec asks of an OAuth token (CONTRACT.md §4).
const std::vector<std::string>& kEmbeddedScopes = kUpdateScopes;

std::string Id(const http::Request& req) { return std::string(req.PathParam("id")); }

json Wrap(SignatureRequestApiContext& ctx, const SignatureRequest& r) {
  json body = json::object();
  body["signature_request"] = wire::RenderSignatureRequest(r, ctx.public_url.Get(), FieldDataOf(r));
  return body;
}

// send, or create_embedded when `embedded` (the same parameters plus a required client_id; the
// signers sign through sign_urls instead of mail).
StatusOr<json> Send(SignatureRequestApiContext& ctx, const http::Request& req, bool embedded) {
  // Parsed before authenticating so that a test_mode send counts in the test-mode tier; a
  // malformed body still counts (in the high tier) and is refused only after authentication.
  StatusOr<RequestFields> fields = RequestFields::FromBody(req);
  std::optional<RateTier> tier;
  if (fields.ok()) tier = ApiRateLimits::TierOf(req.path, *fields);
  CS_ASSIGN_OR_RETURN(Principal p,
                      ctx.auth.Authenticate(req, embedded ? kEmbeddedScopes : kReadScopes, tier));
  CS_ASSIGN_OR_RETURN(RequestFields f, std::move(fields));
  CS_ASSIGN_OR_RETURN(SendInput input, ParseSendRequest(f));
  input.embedded = embedded;
  const std::vector<std::string> ignored = input.ignored_parameters;
  CS_ASSIGN_OR_RETURN(SignatureRequest r, ctx.requests.Send(ViewerOf(p, req), std::move(input)));
  return SentRequestBody(r, ctx.public_url.Get(), f, ignored);
}

StatusOr<json> Get(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kReadScopes));
  CS_ASSIGN_OR_RETURN(SignatureRequest r, ctx.requests.Get(ViewerOf(p, req), Id(req)));
  return Wrap(ctx, r);
}

StatusOr<json> List(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kReadScopes));
  CS_ASSIGN_OR_RETURN(auto paging, PageParams(req));
  auto account_id = req.Query("account_id");
  if (account_id && !account_id->empty() && *account_id != "all" && *account_id != p.account.id) {
    return InvalidArgument("account_id must be your own account_id or \"all\"", "account_id");
  }
  ListInput input;
  input.page = paging.first;
  input.page_size = paging.second;
  input.query = std::string(req.Query("query").value_or(""));
  CS_ASSIGN_OR_RETURN(RequestPage page, ctx.requests.List(ViewerOf(p, req), input));
  json list = json::array();
  const std::string base = ctx.public_url.Get();
  for (const auto& r : page.requests) {
    list.push_back(wire::RenderSignatureRequest(r, base, FieldDataOf(r)));
  }
  json body = json::object();
  body["signature_requests"] = std::move(list);
  body["list_info"] = wire::RenderListInfo(input.page, input.page_size, page.total);
  return body;
}

http::Response Cancel(SignatureRequestApiContext& ctx, const http::Request& req) {
  auto p = ctx.auth.Authenticate(req, kReadScopes);
  if (!p.ok()) return http::ErrorResponse(p.status());
  Status st = ctx.requests.Cancel(ViewerOf(*p, req), Id(req));
  if (!st.ok()) return http::ErrorResponse(st);
  // Dropbox Sign answers 200 with an empty body; it is still labelled, as every response is.
  http::Response ok{200, {}, ""};
  ok.SetHeader("Content-Type", "application/json");
  return ok;
}

StatusOr<json> Remind(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kReadScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(auto email, f.String("email_address"));
  CS_ASSIGN_OR_RETURN(auto name, f.String("name"));
  CS_ASSIGN_OR_RETURN(
      SignatureRequest r,
      ctx.requests.Remind(ViewerOf(p, req), Id(req), email.value_or(""), name.value_or("")));
  json body = Wrap(ctx, r);
  AddIgnoredWarnings(f, body);
  return body;
}

StatusOr<json> Update(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kUpdateScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  SignerChange change;
  CS_ASSIGN_OR_RETURN(auto signature_id, f.String("signature_id"));
  change.signature_id = signature_id.value_or("");
  CS_ASSIGN_OR_RETURN(change.email, f.String("email_address"));
  CS_ASSIGN_OR_RETURN(change.name, f.String("name"));
  CS_ASSIGN_OR_RETURN(change.expires_at, f.Int("expires_at"));
  CS_ASSIGN_OR_RETURN(SignatureRequest r, ctx.requests.Update(ViewerOf(p, req), Id(req), change));
  json body = Wrap(ctx, r);
  AddIgnoredWarnings(f, body);
  return body;
}

}  // namespace

void RegisterSignatureRequestRoutes(http::Router& router, SignatureRequestApiContext& ctx) {
  // A send may wait on file_urls servers and inspects every PDF: off the HTTP threads.
  AddApiRoute(
      router, "POST", "/v3/signature_request/send",
      [&ctx](http::Request& r) { return Respond(Send(ctx, r, /*embedded=*/false)); },
      http::Lane::kFetch);
  AddApiRoute(
      router, "POST", "/v3/signature_request/create_embedded",
      [&ctx](http::Request& r) { return Respond(Send(ctx, r, /*embedded=*/true)); },
      http::Lane::kFetch);
  AddApiRoute(router, "GET", "/v3/signature_request/list",
              [&ctx](http::Request& r) { return Respond(List(ctx, r)); });
  AddApiRoute(router, "GET", "/v3/signature_request/{id}",
              [&ctx](http::Request& r) { return Respond(Get(ctx, r)); });
  AddApiRoute(router, "POST", "/v3/signature_request/cancel/{id}",
              [&ctx](http::Request& r) { return Cancel(ctx, r); });
  AddApiRoute(router, "POST", "/v3/signature_request/remind/{id}",
              [&ctx](http::Request& r) { return Respond(Remind(ctx, r)); });
  AddApiRoute(router, "POST", "/v3/signature_request/update/{id}",
              [&ctx](http::Request& r) { return Respond(Update(ctx, r)); });
  RegisterSignatureRequestFileRoutes(router, ctx);
  RegisterEmbeddedRoutes(router, ctx);
}

}  // namespace countersign::api
