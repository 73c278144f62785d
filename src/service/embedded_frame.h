// Where an embedded signing page may be framed (issue 14). hellosign-embedded appends the host
// page's address (`parent_url`) to the sign_url; the page may be framed only by an origin on
// one of the app's registered domains (the domain itself or a subdomain), or, for a test-mode
// request opened with `skip_domain_verification=1`, by the parent_url's origin whatever it
// is. The page's messages go to that one origin and it accepts messages only from it.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace countersign {

// "scheme://host[:port]" of an absolute http(s) URL, as the browser writes an origin (scheme
// and host in lower case, default port left out). kInvalidArgument (path "parent_url")
// otherwise.
StatusOr<std::string> WebOriginOf(const std::string& url);

// True when `origin`'s host is one of `domains` or a subdomain of one.
bool OriginOnDomains(const std::string& origin, const std::vector<std::string>& domains);

// The origin the page may be framed by and talk to, for a request with `test_mode`, an app
// with `domains`, and the parameters of the frame. kInvalidArgument (path "parent_url") for a
// missing or malformed parent_url; kPermissionDenied when its origin is not on the app's
// domains (and domain verification is not skipped for a test-mode request).
StatusOr<std::string> AllowedParentOrigin(const std::string& parent_url,
                                          const std::vector<std::string>& domains, bool test_mode,
                                          bool skip_domain_verification);

}  // namespace countersign
