#include "files/curl_url_fetcher.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

#include "files/address_policy.h"

namespace countersign {

namespace {

constexpr size_t kMaxUrlInMessage = 200;

CURLcode GlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

// State shared with libcurl's callbacks during one transfer.
struct Transfer {
  int fd = -1;
  int64_t max_bytes = 0;
  int64_t written = 0;
  bool allow_private = false;
  bool too_large = false;
  bool refused_address = false;
  int write_errno = 0;
};

size_t OnWrite(char* data, size_t size, size_t nmemb, void* userdata) {
  auto* t = static_cast<Transfer*>(userdata);
  size_t total = size * nmemb;
  if (t->written + static_cast<int64_t>(total) > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  size_t left = total;
  while (left > 0) {
    ssize_t n = write(t->fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      t->write_errno = errno;
      return 0;
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  t->written += static_cast<int64_t>(total);
  return total;
}

curl_socket_t OnOpenSocket(void* clientp, curlsocktype purpose, struct curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (!t->allow_private && !IsAllowedOutboundAddress(&address->addr, address->addrlen)) {
    t->refused_address = true;
    return CURL_SOCKET_BAD;  // libcurl tries the next address or fails with COULDNT_CONNECT
  }
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};

std::string ShortUrl(const std::string& url) {
  if (url.size() <= kMaxUrlInMessage) return url;
  return url.substr(0, kMaxUrlInMessage) + "...";
}

bool HasHttpScheme(const std::string& url) {
  auto starts = [&url](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  return starts("http://") || starts("https://");
}

std::string SizeText(int64_t bytes) {
  if (bytes >= (1 << 20) && bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

// What the sender is told. Whatever happened on the network (refused address, unknown host,
// closed or filtered port, time-out, redirect loop, HTTP error) reads the same, so file_urls
// cannot be used to map hosts and ports through this server; only the URL's own form and the
// size limit are named.
std::string Reason(CURLcode rc, const Transfer& t, const FetchOptions& o) {
  if ((rc == CURLE_WRITE_ERROR && t.too_large) || rc == CURLE_FILESIZE_EXCEEDED) {
    return "the file is larger than " + SizeText(o.max_bytes);
  }
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
      return "only http and https URLs are allowed";
    case CURLE_URL_MALFORMAT:
      return "not a valid URL";
    default:
      return "no file could be downloaded (the URL must be publicly reachable and answer 200 "
             "with the document within " +
             std::to_string(o.timeout_seconds) + " s)";
  }
}

}  // namespace

StatusOr<std::unique_ptr<CurlUrlFetcher>> CurlUrlFetcher::Create() {
  CURLcode rc = GlobalInit();
  if (rc != CURLE_OK) {
    return Internal(std::string("libcurl could not be initialised: ") + curl_easy_strerror(rc));
  }
  return std::unique_ptr<CurlUrlFetcher>(new CurlUrlFetcher());
}

Status CurlUrlFetcher::Fetch(const std::string& url, const std::string& dest_path,
                             const FetchOptions& options) {
  const std::string prefix = "Could not download " + ShortUrl(url) + ": ";
  // libcurl would guess a scheme for "example.com/a.pdf"; only explicit http(s) is accepted.
  if (!HasHttpScheme(url)) {
    unlink(dest_path.c_str());
    return InvalidArgument(prefix + "only http and https URLs are allowed");
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Internal(prefix + "libcurl could not start a transfer");

  Transfer t;
  t.max_bytes = options.max_bytes;
  t.allow_private = options.allow_private_addresses;
  t.fd = open(dest_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (t.fd < 0) return Internal(prefix + "cannot create " + dest_path + ": " + strerror(errno));

  CURL* h = curl.get();
  bool setup_ok =
      curl_easy_setopt(h, CURLOPT_URL, url.c_str()) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(options.timeout_seconds)) ==
          CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes)) ==
          CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_PROXY, "") == CURLE_OK &&  // no proxy: it would bypass SSRF
      curl_easy_setopt(h, CURLOPT_USERAGENT, "Countersign") == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnWrite) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_WRITEDATA, &t) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &t) == CURLE_OK;

  Status result;
  if (!setup_ok) {
    result = Internal(prefix + "libcurl rejected an option");
  } else {
    CURLcode rc = curl_easy_perform(h);
    long http_status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http_status);
    if (t.write_errno != 0) {
      result = Internal(prefix + "cannot write " + dest_path + ": " + strerror(t.write_errno));
    } else if (rc != CURLE_OK || http_status < 200 || http_status > 299) {
      result = InvalidArgument(prefix + Reason(rc, t, options));
    }
  }
  if (close(t.fd) != 0 && result.ok()) {
    result = Internal(prefix + "cannot write " + dest_path + ": " + strerror(errno));
  }
  if (!result.ok()) unlink(dest_path.c_str());
  return result;
}

}  // namespace countersign
