// The seven Dropbox Sign OAuth scopes, their billing groups and their wording on the consent
// page. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace countersign {

// The scopes in canonical order.
const std::vector<std::string>& AllScopes();
bool IsKnownScope(std::string_view scope);
// True for the scopes billed to the app owner ("basic_account_info", "request_signature").
bool IsAppBilledScope(std::string_view scope);
// A sentence for the consent page, e.g. "Send signature requests on your behalf".
std::string DescribeScope(std::string_view scope);
// True when `granted` contains at least one of `any_of`.
bool HasAnyScope(const std::vector<std::string>& granted, const std::vector<std::string>& any_of);
// Same members regardless of order and duplicates.
bool SameScopeSet(std::vector<std::string> a, std::vector<std::string> b);

}  // namespace countersign
