// The OAuth token endpoint: POST /oauth/token (authorization_code grant) and
// POST /oauth/token?refresh (refresh_token grant), also served under /v3 for SDKs that use
// their API host for token calls (CONTRACT.md §3.2, §3.3, §8). Accepts JSON,
// form-urlencoded and multipart bodies; a missing grant_type is inferred. Thread-safe.
#pragma once

#include "http/router.h"
#include "service/oauth_service.h"

namespace countersign::oauth {

void RegisterTokenRoutes(http::Router& router, OAuthService& service);

}  // namespace countersign::oauth
