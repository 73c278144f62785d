// The OAuth endpoints an app calls directly: POST /oauth/token (authorization_code grant, with
// PKCE code_verifier) and POST /oauth/token?refresh (refresh_token grant), also served under
// /v3 for SDKs that use their API host for token calls (CONTRACT.md §3.2, §3.3, §8); POST
// /oauth/revoke (RFC 7009); GET /.well-known/oauth-authorization-server (RFC 8414). Accepts
// JSON, form-urlencoded and multipart bodies; a missing grant_type is inferred. Clients
// authenticate with body parameters or HTTP Basic (api/oauth_client_auth.h). Thread-safe.
#pragma once

#include "core/ops_counters.h"
#include "core/public_url.h"
#include "http/router.h"
#include "service/oauth_service.h"

namespace countersign::api {

// `public_url` (the issuer of the metadata document) must outlive the router.
// `counters` (may be null) counts each token request by grant type and outcome.
void RegisterTokenRoutes(http::Router& router, OAuthService& service, const PublicUrl& public_url,
                         OpsCounters* counters = nullptr);

}  // namespace countersign::api
