#include "service/embedded_frame.h"

#include <curl/curl.h>

#include <memory>

#include "service/validation.h"

namespace countersign {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// One part of `url`, or "" when it has none.
std::string Part(CURLU* url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return "";
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

StatusOr<std::string> WebOriginOf(const std::string& url) {
  static const char kBad[] = "parent_url must be the absolute http(s) address of the host page";
  if (!IsValidHttpUrl(url)) return InvalidArgument(kBad, "parent_url");
  std::unique_ptr<CURLU, CurlUrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument(kBad, "parent_url");
  }
  const std::string scheme = ToLower(Part(parsed.get(), CURLUPART_SCHEME));
  const std::string host = ToLower(Part(parsed.get(), CURLUPART_HOST));
  const std::string port = Part(parsed.get(), CURLUPART_PORT);  // "" when not given
  if ((scheme != "http" && scheme != "https") || host.empty()) {
    return InvalidArgument(kBad, "parent_url");
  }
  std::string origin = scheme + "://" + host;
  const bool default_port =
      port.empty() || (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  if (!default_port) origin += ":" + port;
  return origin;
}

bool OriginOnDomains(const std::string& origin, const std::vector<std::string>& domains) {
  size_t start = origin.find("://");
  if (start == std::string::npos) return false;
  std::string host = origin.substr(start + 3);
  if (!host.empty() && host.front() == '[') return false;  // IPv6 literals are never domains
  if (size_t colon = host.find(':'); colon != std::string::npos) host.resize(colon);
  for (const std::string& domain : domains) {
    if (domain.empty()) continue;
    if (host == domain) return true;
    if (host.size() > domain.size() + 1 && host.ends_with(domain) &&
        host[host.size() - domain.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

StatusOr<std::string> AllowedParentOrigin(const std::string& parent_url,
                                          const std::vector<std::string>& domains, bool test_mode,
                                          bool skip_domain_verification) {
  if (parent_url.empty()) return InvalidArgument("parent_url is required", "parent_url");
  CS_ASSIGN_OR_RETURN(std::string origin, WebOriginOf(parent_url));
  if (test_mode && skip_domain_verification) return origin;
  if (!OriginOnDomains(origin, domains)) {
    return PermissionDenied("This page may not be embedded on " + origin +
                            ": it is not one of the app's domains.");
  }
  return origin;
}

}  // namespace countersign
