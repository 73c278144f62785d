#include "model/scopes.h"

#include <algorithm>

namespace countersign {

const std::vector<std::string>& AllScopes() {
  static const std::vector<std::string> kScopes = {
      "basic_account_info", "request_signature", "account_access", "signature_request_access",
      "template_access",    "team_access",       "api_app_access"};
  return kScopes;
}

bool IsKnownScope(std::string_view scope) {
  const auto& all = AllScopes();
  return std::find(all.begin(), all.end(), scope) != all.end();
}

bool IsAppBilledScope(std::string_view scope) {
  return scope == "basic_account_info" || scope == "request_signature";
}

std::string DescribeScope(std::string_view scope) {
  if (scope == "basic_account_info") return "See your basic account information (email address)";
  if (scope == "request_signature")
    return "Send signature requests on your behalf and see their status and files";
  if (scope == "account_access") return "See and change your account information and settings";
  if (scope == "signature_request_access")
    return "Send, see and update your signature requests and download their files";
  if (scope == "template_access") return "See, create and change your templates";
  if (scope == "team_access") return "See and change your team";
  if (scope == "api_app_access") return "See, create and change your API apps";
  return std::string(scope);
}

bool HasAnyScope(const std::vector<std::string>& granted, const std::vector<std::string>& any_of) {
  for (const auto& s : any_of) {
    if (std::find(granted.begin(), granted.end(), s) != granted.end()) return true;
  }
  return false;
}

bool SameScopeSet(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  std::sort(b.begin(), b.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return a == b;
}

}  // namespace countersign
