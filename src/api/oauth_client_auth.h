// Client authentication at the OAuth endpoints (RFC 6749 §2.3.1): client_secret_post (the
// client_id and client_secret body parameters, as Dropbox Sign documents) and
// client_secret_basic (HTTP Basic with the form-url-encoded client_id and client_secret).
// Pure functions over the request; thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "http/message.h"

namespace countersign::api {

struct ClientCredentials {
  std::string client_id;  // empty when the client sent none
  std::string client_secret;
  bool via_basic = false;  // they came in an Authorization: Basic header
};

// The client credentials of a token or revocation request. `body_id` and `body_secret` are
// the body parameters (empty when absent). An Authorization header other than Basic is
// ignored. kInvalidClient for malformed Basic credentials, or when the body names a
// different client_id or client_secret than the Basic header (RFC 6749 §2.3: one method per
// request; the same values in both places are tolerated).
StatusOr<ClientCredentials> ReadClientCredentials(const http::Request& request,
                                                  const std::string& body_id,
                                                  const std::string& body_secret);

// True when the request carries an `Authorization: Basic ...` header (any case of "Basic").
bool HasBasicAuthorization(const http::Request& request);

}  // namespace countersign::api
