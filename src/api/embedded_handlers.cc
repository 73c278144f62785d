// GET /v3/embedded/sign_url/{signature_id} (issue 14): a fresh single-use sign_url for a
// signer of an embedded request, for the request's sender or a token of its app.
#include "api/rate_limits.h"
#include "api/request_viewer.h"
#include "api/respond.h"
#include "api/signature_request_routes.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kScopes = {"signature_request_access"};

StatusOr<json> SignUrl(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  CS_ASSIGN_OR_RETURN(
      EmbeddedSignUrl url,
      ctx.embedded.SignUrl(ViewerOf(p, req), std::string(req.PathParam("signature_id"))));
  return json{{"embedded", {{"sign_url", url.sign_url}, {"expires_at", url.expires_at}}}};
}

}  // namespace

void RegisterEmbeddedRoutes(http::Router& router, SignatureRequestApiContext& ctx) {
  AddApiRoute(router, "GET", "/v3/embedded/sign_url/{signature_id}",
              [&ctx](http::Request& r) { return Respond(SignUrl(ctx, r)); });
}

}  // namespace countersign::api
