// RFC 8414 authorization server metadata at GET /.well-known/oauth-authorization-server:
// the issuer (the public base URL, also sent as `iss` in authorization responses, RFC 9207),
// the endpoints and what they support. Thread-safe.
#pragma once

#include <string>

#include "core/public_url.h"
#include "http/router.h"

namespace countersign::api {

// The metadata document of the server whose public base URL is `issuer` (no trailing slash).
std::string MetadataJson(const std::string& issuer);

// Serves MetadataJson(public_url.Get()). `public_url` must outlive the router.
void RegisterMetadataRoute(http::Router& router, const PublicUrl& public_url);

}  // namespace countersign::api
