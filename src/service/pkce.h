// PKCE (RFC 7636) with the S256 method only: the checks on a code_challenge sent to
// /oauth/authorize and on the code_verifier sent to the token endpoint. `plain` is refused
// (RFC 9700 §2.1.1). Pure functions; thread-safe.
#pragma once

#include <string>

#include "core/status.h"

namespace countersign {

// Validates the PKCE parameters of an authorization request. Both empty: Ok (no PKCE).
// kInvalidArgument (path "code_challenge" or "code_challenge_method") when a challenge is
// not 43 base64url characters (the size of a SHA-256 digest), when the method is not "S256"
// (a missing method means "plain", which is refused), or when a method comes without a
// challenge.
Status ValidateCodeChallenge(const std::string& challenge, const std::string& method);

// True when BASE64URL(SHA256(verifier)) equals `challenge` (constant time) and `verifier`
// has the form RFC 7636 §4.1 requires (43 to 128 unreserved characters).
bool VerifierMatches(const std::string& verifier, const std::string& challenge);

}  // namespace countersign
