#include <curl/curl.h>
#include <sys/socket.h>

#include <memory>
#include <mutex>

#include "events/callback_poster.h"
#include "files/address_policy.h"

namespace countersign {

namespace {

struct Transfer {
  bool allow_private = false;
  bool refused_address = false;
  size_t max_body = 0;
  std::string body;
};

size_t OnWrite(char* data, size_t size, size_t count, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  size_t n = size * count;
  size_t room = t->max_body > t->body.size() ? t->max_body - t->body.size() : 0;
  t->body.append(data, std::min(n, room));
  return n;  // read and drop the rest, so the receiver is not cut off mid-answer
}

curl_socket_t OnOpenSocket(void* clientp, curlsocktype purpose, struct curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!t->allow_private && !IsAllowedOutboundAddress(&address->addr, address->addrlen)) {
    t->refused_address = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

class CurlCallbackPoster : public CallbackPoster {
 public:
  CallbackResult Post(const std::string& url, const std::string& json_payload,
                      const CallbackOptions& options) override {
    CallbackResult result;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
    if (!h) {
      result.error = "libcurl could not start a transfer";
      return result;
    }
    Transfer t;
    t.allow_private = options.allow_private_addresses;
    t.max_body = options.max_body_bytes;
    curl_mime* mime = curl_mime_init(h.get());
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, "json");
    curl_mime_data(part, json_payload.data(), json_payload.size());
    curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.get(), CURLOPT_PROXY, "");
    curl_easy_setopt(h.get(), CURLOPT_TIMEOUT, static_cast<long>(options.timeout_seconds));
    curl_easy_setopt(h.get(), CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(h.get(), CURLOPT_USERAGENT, "Countersign event callback");
    curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, OnWrite);
    curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h.get(), CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
    curl_easy_setopt(h.get(), CURLOPT_OPENSOCKETDATA, &t);
    CURLcode rc = curl_easy_perform(h.get());
    long status = 0;
    curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    curl_mime_free(mime);
    result.http_status = static_cast<int>(status);
    result.body = std::move(t.body);
    if (status == 0 && (t.refused_address || rc != CURLE_OK)) {
      // A refused address, an unknown host, a closed or filtered port and a time-out all read
      // the same, so callback URLs cannot be used to map hosts and ports through this server.
      result.error = "no answer from the callback URL within " +
                     std::to_string(options.timeout_seconds) +
                     " s (it must be a publicly reachable http or https URL)";
    } else if (rc != CURLE_OK) {
      result.error = curl_easy_strerror(rc);
    }
    return result;
  }
};

}  // namespace

StatusOr<std::unique_ptr<CallbackPoster>> MakeCurlCallbackPoster() {
  static std::once_flag once;
  static CURLcode init = CURLE_OK;
  std::call_once(once, [] { init = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init != CURLE_OK) return Internal("libcurl could not be initialised");
  return std::unique_ptr<CallbackPoster>(new CurlCallbackPoster());
}

}  // namespace countersign
