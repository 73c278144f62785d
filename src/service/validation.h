// Input validation shared by the services: emails, URLs, domains, locales. Pure functions;
// thread-safe.
#pragma once

#include <string>

namespace countersign {

// A pragmatic RFC 5321 check: one '@', non-empty local part <= 64 (ASCII, or well-formed UTF-8
// without bidi overrides), a dotted domain of letters, digits and hyphens, total <= 254, no
// spaces or control characters.
bool IsValidEmail(const std::string& email);
// An absolute http or https URL with a host and a port (if any) of 1-65535, printable ASCII
// only (no spaces, control or non-ASCII bytes; none of " < > \ ^ ` { | }, and '%' only before two
// hex digits: RFC 3986), <= 2048 chars.
bool IsValidHttpUrl(const std::string& url);
// An OAuth redirection endpoint: IsValidHttpUrl without a fragment (RFC 6749 section 3.1.2).
bool IsValidRedirectUri(const std::string& url);
// A host name such as "example.com" (letters, digits, hyphens, dots; <= 253 chars).
bool IsValidDomain(const std::string& domain);
// One of the locales Dropbox Sign accepts (e.g. "en-US", "fr-FR").
bool IsSupportedLocale(const std::string& locale);
// ASCII lower-case copy.
std::string ToLower(std::string s);
// Copy without leading and trailing ASCII white space.
std::string Trim(const std::string& s);

}  // namespace countersign
