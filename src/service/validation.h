// Input validation shared by the services: emails, URLs, domains, locales. Pure functions;
// thread-safe.
#pragma once

#include <string>

namespace countersign {

// A pragmatic RFC 5321 check: one '@', non-empty local part <= 64, a dotted domain of
// letters, digits and hyphens, total <= 254, no spaces or control characters.
bool IsValidEmail(const std::string& email);
// An absolute http or https URL with a host, printable ASCII only (no spaces, control or
// non-ASCII bytes: RFC 3986), <= 2048 chars.
bool IsValidHttpUrl(const std::string& url);
// A host name such as "example.com" (letters, digits, hyphens, dots; <= 253 chars).
bool IsValidDomain(const std::string& domain);
// One of the locales Dropbox Sign accepts (e.g. "en-US", "fr-FR").
bool IsSupportedLocale(const std::string& locale);
// ASCII lower-case copy.
std::string ToLower(std::string s);
// Copy without leading and trailing ASCII white space.
std::string Trim(const std::string& s);

}  // namespace countersign
