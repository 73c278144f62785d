// The OAuth errors the token endpoint's grants answer with (RFC 6749 §5.2), shared by the
// translation units of OAuthService (oauth_service.cc, oauth_token_grants.cc).
#pragma once

#include <string>

#include "core/status.h"

namespace countersign {

inline Status InvalidGrant(std::string msg) { return Status(Code::kInvalidGrant, std::move(msg)); }

inline Status InvalidClient() {
  return Status(Code::kInvalidClient,
                "Client authentication failed: unknown client_id or "
                "wrong client_secret.");
}

}  // namespace countersign
