#include "files/curl_url_fetcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "files/address_policy.h"

namespace countersign {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

// A tiny HTTP/1.1 server on 127.0.0.1 serving fixed endpoints, one thread per connection.
class TestHttpServer {
 public:
  TestHttpServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listen_fd_, 16) != 0) {
      std::abort();
    }
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~TestHttpServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    accept_thread_.join();
    for (std::thread& t : workers_) t.join();
    close(listen_fd_);
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  void AcceptLoop() {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stop_) return;
      }
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      workers_.emplace_back([this, fd] {
        Serve(fd);
        close(fd);
      });
    }
  }

  static void Send(int fd, const std::string& data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
  }

  static std::string Response(int status, const std::string& reason, const std::string& body,
                              const std::string& extra_headers = "") {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
           extra_headers + "\r\n" + body;
  }

  static std::string Redirect(const std::string& location) {
    return Response(302, "Found", "", "Location: " + location + "\r\n");
  }

  void Serve(int fd) {
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string request;
    char buf[1024];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      request.append(buf, static_cast<size_t>(n));
    }
    std::istringstream line(request.substr(0, request.find("\r\n")));
    std::string method, path;
    line >> method >> path;

    if (path == "/ok") {
      Send(fd, Response(200, "OK", "hello world"));
    } else if (path == "/big") {
      Send(fd, Response(200, "OK", std::string(5000, 'a')));
    } else if (path == "/big-unsized") {
      // No Content-Length: the size is only known while reading.
      Send(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(5000, 'b'));
    } else if (path == "/slow") {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(5), [this] { return stop_; });
      lock.unlock();
      Send(fd, Response(200, "OK", "late"));
    } else if (path == "/to-file") {
      Send(fd, Redirect("file:///etc/passwd"));
    } else if (path == "/to-ftp") {
      Send(fd, Redirect("ftp://127.0.0.1:" + std::to_string(port_) + "/x"));
    } else if (path == "/to-ok") {
      Send(fd, Redirect("/ok"));
    } else if (path == "/loop") {
      Send(fd, Redirect("/loop"));
    } else if (path == "/no-content") {
      Send(fd, "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n");
    } else {
      Send(fd, Response(404, "Not Found", "nope"));
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread accept_thread_;
  std::vector<std::thread> workers_;  // touched by the accept thread, then the destructor
};

class CurlUrlFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "url_fetcher_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    dest_ = dir_ + "/download";
    StatusOr<std::unique_ptr<CurlUrlFetcher>> fetcher = CurlUrlFetcher::Create();
    ASSERT_TRUE(fetcher.ok()) << fetcher.status().ToString();
    fetcher_ = std::move(fetcher).value();
    allow_.allow_private_addresses = true;
    allow_.timeout_seconds = 5;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Downloaded() {
    std::ifstream in(dest_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Fetches `url`, expects kInvalidArgument whose message names the URL and contains
  // `reason`, and that the destination (pre-filled) was removed.
  void ExpectRefused(const std::string& url, const FetchOptions& options,
                     const std::string& reason) {
    std::ofstream(dest_) << "stale";
    Status st = fetcher_->Fetch(url, dest_, options);
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << url << " " << st.ToString();
    EXPECT_NE(st.message().find("Could not download " + url + ": "), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find(reason), std::string::npos) << st.message();
    EXPECT_FALSE(fs::exists(dest_)) << url;
  }

  TestHttpServer server_;
  std::string dir_;
  std::string dest_;
  std::unique_ptr<CurlUrlFetcher> fetcher_;
  FetchOptions allow_;
};

// Every network outcome reads the same (no port or host mapping through file_urls).
constexpr char kNoFile[] = "no file could be downloaded";

TEST_F(CurlUrlFetcherTest, DownloadsWhenPrivateAddressesAllowed) {
  Status st = fetcher_->Fetch(server_.Url("/ok"), dest_, allow_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Downloaded(), "hello world");
}

TEST_F(CurlUrlFetcherTest, FollowsRedirectToAnotherLoopbackPath) {
  Status st = fetcher_->Fetch(server_.Url("/to-ok"), dest_, allow_);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(Downloaded(), "hello world");
}

TEST_F(CurlUrlFetcherTest, BodyOfExactlyMaxBytesIsAccepted) {
  FetchOptions options = allow_;
  options.max_bytes = 11;
  ASSERT_TRUE(fetcher_->Fetch(server_.Url("/ok"), dest_, options).ok());
  EXPECT_EQ(Downloaded(), "hello world");
}

TEST_F(CurlUrlFetcherTest, RefusesLoopbackByDefaultWithoutConnecting) {
  FetchOptions options;  // allow_private_addresses = false
  ExpectRefused(server_.Url("/ok"), options, kNoFile);
  ExpectRefused(server_.Url("/to-ok"), options, kNoFile);
  ExpectRefused("http://localhost:" + std::to_string(server_.port()) + "/ok", options, kNoFile);
  ExpectRefused("http://[::1]:" + std::to_string(server_.port()) + "/ok", options, kNoFile);
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(CurlUrlFetcherTest, RefusesPrivateAndMetadataAddresses) {
  FetchOptions options;
  options.timeout_seconds = 5;
  for (const char* url :
       {"http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://192.168.0.1/",
        "http://172.16.0.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
        "https://[fe80::1]/", "http://[fd00::1]/"}) {
    ExpectRefused(url, options, kNoFile);
  }
}

TEST_F(CurlUrlFetcherTest, RefusesOtherSchemes) {
  ExpectRefused("ftp://127.0.0.1:" + std::to_string(server_.port()) + "/x", allow_,
                "only http and https");
  ExpectRefused("file:///etc/passwd", allow_, "only http and https");
  ExpectRefused("gopher://127.0.0.1/", allow_, "only http and https");
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(CurlUrlFetcherTest, RefusesRedirectToOtherSchemes) {
  ExpectRefused(server_.Url("/to-file"), allow_, "only http and https");
  ExpectRefused(server_.Url("/to-ftp"), allow_, "only http and https");
}

TEST_F(CurlUrlFetcherTest, RefusesTooManyRedirects) {
  ExpectRefused(server_.Url("/loop"), allow_, kNoFile);
}

TEST_F(CurlUrlFetcherTest, RefusesHttpErrors) {
  ExpectRefused(server_.Url("/missing"), allow_, kNoFile);
  ExpectRefused(server_.Url("/no-content"), allow_, kNoFile);
}

TEST_F(CurlUrlFetcherTest, RefusesBodiesLargerThanMaxBytes) {
  FetchOptions options = allow_;
  options.max_bytes = 1000;
  ExpectRefused(server_.Url("/big"), options, "larger than 1000 bytes");
  ExpectRefused(server_.Url("/big-unsized"), options, "larger than 1000 bytes");
}

TEST_F(CurlUrlFetcherTest, TimesOut) {
  FetchOptions options = allow_;
  options.timeout_seconds = 1;
  steady_clock::time_point start = steady_clock::now();
  ExpectRefused(server_.Url("/slow"), options, kNoFile);
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(CurlUrlFetcherTest, RefusesMalformedUrl) {
  ExpectRefused("not a url", allow_, "only http and https");
  ExpectRefused("127.0.0.1:" + std::to_string(server_.port()) + "/ok", allow_,
                "only http and https");
  ExpectRefused("http://", allow_, "not a valid URL");
  ExpectRefused("HTTP://", allow_, "not a valid URL");
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(CurlUrlFetcherTest, UnwritableDestinationIsInternal) {
  Status st = fetcher_->Fetch(server_.Url("/ok"), dir_ + "/no/such/folder/file", allow_);
  EXPECT_EQ(st.code(), Code::kInternal);
}

bool PublicV4(const char* text) {
  in_addr a{};
  EXPECT_EQ(inet_pton(AF_INET, text, &a), 1) << text;
  return IsPublicIpv4(ntohl(a.s_addr));
}

bool PublicV6(const char* text) {
  in6_addr a{};
  EXPECT_EQ(inet_pton(AF_INET6, text, &a), 1) << text;
  return IsPublicIpv6(a.s6_addr);
}

TEST(CurlUrlFetcherAddressPolicyTest, ClassifiesIpv4) {
  for (const char* blocked :
       {"0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.1",
        "127.255.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
        "192.168.1.1", "198.18.0.1", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255"}) {
    EXPECT_FALSE(PublicV4(blocked)) << blocked;
  }
  for (const char* allowed : {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.0.1",
                              "172.32.0.1", "192.169.0.1", "93.184.216.34"}) {
    EXPECT_TRUE(PublicV4(allowed)) << allowed;
  }
}

TEST(CurlUrlFetcherAddressPolicyTest, ClassifiesIpv6) {
  for (const char* blocked :
       {"::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
        "64:ff9b::a00:1", "2002:7f00:1::", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1",
        "fec0::1", "ff02::1"}) {
    EXPECT_FALSE(PublicV6(blocked)) << blocked;
  }
  for (const char* allowed : {"2001:4860:4860::8888", "2606:4700::1111", "::ffff:8.8.8.8",
                              "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_TRUE(PublicV6(allowed)) << allowed;
  }
}

TEST(CurlUrlFetcherAddressPolicyTest, RefusesDocumentationAndTunnelRanges) {
  for (const char* blocked : {"192.0.2.1", "198.51.100.7", "203.0.113.200", "192.88.99.1"}) {
    EXPECT_FALSE(PublicV4(blocked)) << blocked;
  }
  for (const char* blocked : {"2001:db8::1", "2001:0:4136:e378::1", "100::1"}) {
    EXPECT_FALSE(PublicV6(blocked)) << blocked;
  }
  EXPECT_TRUE(PublicV4("203.0.114.1"));
  EXPECT_TRUE(PublicV6("2001:4860::1"));
}

TEST(CurlUrlFetcherAddressPolicyTest, RefusesTheHostsOwnAddresses) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // every host has it on lo
  EXPECT_TRUE(IsOwnAddress(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  EXPECT_FALSE(IsAllowedOutboundAddress(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  v4.sin_addr.s_addr = htonl(0x08080808);
  EXPECT_FALSE(IsOwnAddress(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  EXPECT_TRUE(IsAllowedOutboundAddress(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
}

TEST(CurlUrlFetcherAddressPolicyTest, ChecksSockaddrFamilies) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_addr.s_addr = htonl(0x08080808);
  EXPECT_TRUE(IsPublicAddress(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_FALSE(IsPublicAddress(reinterpret_cast<sockaddr*>(&v4), sizeof v4));
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_addr = in6addr_loopback;
  EXPECT_FALSE(IsPublicAddress(reinterpret_cast<sockaddr*>(&v6), sizeof v6));
  sockaddr unix_addr{};
  unix_addr.sa_family = AF_UNIX;
  EXPECT_FALSE(IsPublicAddress(&unix_addr, sizeof unix_addr));
  EXPECT_FALSE(IsPublicAddress(nullptr, 0));
}

}  // namespace
}  // namespace countersign
