// "Expect: 100-continue" answered. curl (and so PHP's Guzzle and Ruby's Typhoeus, which the
// Dropbox Sign PHP and Ruby SDKs use) sends that header with any body over 1 MB and then waits
// up to a second for "100 Continue" before sending the body. RESTinio 0.6.16 never sends it, so
// every such upload started a second late. RESTinio reads and writes through `stream_socket_t`
// of the server's Traits; ContinueSocket is Asio's TCP socket plus two things:
// - while a read's completion runs (RESTinio parses what was read in it, calling the parser
//   callbacks on this thread), the socket is this thread's Reading(); the parser's end of
//   headers (http/parser_settings.h) calls Reading()->SendContinue() for a request that expects
//   it;
// - it counts its writes in flight, and SendContinue writes only when there are none, so the
//   interim answer never lands in the middle of another answer's bytes. Otherwise (a pipelined
//   request while an earlier answer is being written) it does nothing, and the client sends its
//   body after its own wait, as before.
// The socket is moved into its connection before any read or write, and the connection (which
// every completion handler holds) outlives them, so `this` is stable while they run. The
// completions keep RESTinio's executor (the connection's strand where a loop has several
// threads) and allocator.
// Included by http/server.cc only.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <restinio/all.hpp>
#include <string_view>
#include <type_traits>
#include <utility>

namespace countersign::http {

class ContinueSocket : public asio::ip::tcp::socket {
 public:
  explicit ContinueSocket(asio::io_context& io) : asio::ip::tcp::socket(io) {}
  ContinueSocket(ContinueSocket&&) = default;
  ContinueSocket& operator=(ContinueSocket&&) = default;

  // The socket whose read completion is running on this thread, or null.
  static ContinueSocket* Reading() { return reading_; }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    asio::ip::tcp::socket::async_read_some(
        buffers, Completion<std::decay_t<Handler>, true>{this, std::forward<Handler>(handler)});
  }

  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    ++writes_in_flight_;
    asio::ip::tcp::socket::async_write_some(
        buffers, Completion<std::decay_t<Handler>, false>{this, std::forward<Handler>(handler)});
  }

  // RESTinio's completion handler of a read (kRead) or a write on `socket`, run as the socket's
  // bookkeeping asks. Asio takes its executor and allocator from `handler`'s (the specializations
  // below), so it runs where RESTinio's would have run (the connection's strand).
  template <typename Handler, bool kRead>
  struct Completion {
    ContinueSocket* socket;
    Handler handler;

    void operator()(const asio::error_code& ec, size_t n) {
      if constexpr (kRead) {
        ContinueSocket* outer = std::exchange(reading_, socket);
        handler(ec, n);
        reading_ = outer;
      } else {
        --socket->writes_in_flight_;
        handler(ec, n);
      }
    }
  };

  // Writes "HTTP/1.1 100 Continue" now, unless another write is in flight or the socket cannot
  // take it without waiting. A write that the kernel takes only in part is finished (waiting up
  // to a second); failing that, the connection is shut down, since its stream is broken.
  void SendContinue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    if (writes_in_flight_ > 0 || !is_open()) return;
    const int fd = native_handle();
    size_t sent = 0;
    while (sent < kContinue.size()) {
      const ssize_t n =
          ::send(fd, kContinue.data() + sent, kContinue.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (sent == 0) return;  // nothing written: the client waits and sends anyway
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 1000) == 1) continue;
      }
      break;
    }
    if (sent > 0 && sent < kContinue.size()) ::shutdown(fd, SHUT_RDWR);
  }

 private:
  static inline thread_local ContinueSocket* reading_ = nullptr;
  int writes_in_flight_ = 0;  // touched only by the connection's handlers (its strand)
};

}  // namespace countersign::http

template <typename Handler, bool kRead, typename Executor>
struct asio::associated_executor<countersign::http::ContinueSocket::Completion<Handler, kRead>,
                                 Executor> {
  using type = asio::associated_executor_t<Handler, Executor>;
  static type get(const countersign::http::ContinueSocket::Completion<Handler, kRead>& c,
                  const Executor& e = Executor()) noexcept {
    return asio::get_associated_executor(c.handler, e);
  }
};

template <typename Handler, bool kRead, typename Allocator>
struct asio::associated_allocator<countersign::http::ContinueSocket::Completion<Handler, kRead>,
                                  Allocator> {
  using type = asio::associated_allocator_t<Handler, Allocator>;
  static type get(const countersign::http::ContinueSocket::Completion<Handler, kRead>& c,
                  const Allocator& a = Allocator()) noexcept {
    return asio::get_associated_allocator(c.handler, a);
  }
};
