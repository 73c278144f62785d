// A connection's socket that can answer from inside the HTTP parser, where RESTinio 0.6.16 does
// not:
// - "Expect: 100-continue". curl (and so PHP's Guzzle and Ruby's Typhoeus, which the Dropbox
//   Sign PHP and Ruby SDKs use) sends it with any body over 1 MB, then waits up to a second for
//   "100 Continue" before sending the body; RESTinio never sent it, so each such upload started
//   a second late. The parser's end of headers (http/parser_settings.h) calls
//   Active()->SendContinue() for a request that expects it.
// - Malformed HTTP (two Content-Lengths, a bad header byte, an unknown method, ...). RESTinio
//   closed the connection without a word, and clients saw "socket hang up". The parser's start
//   of a message records the connection's parser here (Watch); when RESTinio then shuts the
//   socket down from inside one of its completions (where it parses) and that parser has
//   failed, the socket first writes MalformedRequestAnswer (http/protocol_checks.h). Bytes that
//   do not even begin a request (no method starts with their first byte, e.g. a TLS handshake)
//   still get no answer: no message began. Neither does a client still sending a large body
//   after its malformed head, as a rule: RESTinio closes at once, and the kernel resets a
//   connection closed with unread bytes.
// RESTinio reads and writes through `stream_socket_t` of the server's Traits; this is Asio's
// TCP socket that is this thread's Active() while one of its read or write completions runs
// (RESTinio parses inside them: what was just read, or what waited in its buffer once an answer
// is written), and that counts its writes in flight: it writes only when none is, so what it
// writes never lands in the middle of another answer's bytes. Otherwise (a pipelined request
// while an earlier answer is being written) it writes nothing, as before.
// What it writes never follows the answer to the same request: RESTinio parses a request only
// once the answers before it are written or being written (max_pipelined_requests 1; while one
// is being written nothing is written here), and every answer is written after RESTinio's
// handler call returns (http/server.cc), so no completion of one connection runs inside
// another's and Active() is always the connection whose parser runs. An upgraded connection
// (WebSocket; none here) or RESTinio's sendfile writes (unused) would need more.
// The socket is moved into its connection before any read or write, and the connection (which
// every completion handler holds) outlives them, so `this` is stable while they run, and so is
// the parser, a member of the same connection. The completions keep RESTinio's executor (the
// connection's strand where a loop has several threads) and allocator.
// Included by http/server.cc only.
#pragma once

#include <http_parser.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <restinio/all.hpp>
#include <string_view>
#include <type_traits>
#include <utility>

#include "http/drain_state.h"
#include "http/protocol_checks.h"

namespace countersign::http {

class AnsweringSocket : public asio::ip::tcp::socket {
 public:
  explicit AnsweringSocket(asio::io_context& io) : asio::ip::tcp::socket(io) {}
  AnsweringSocket(AnsweringSocket&&) = default;
  AnsweringSocket& operator=(AnsweringSocket&&) = default;

  // The socket one of whose completions is running on this thread, or null.
  static AnsweringSocket* Active() { return active_; }

  // Reads completed on this thread from now on count as activity of `drain` (null: none), so a
  // graceful stop waits for a request still arriving. Called by each thread of a loop.
  static void ReportReadsTo(DrainState* drain) { reads_to_ = drain; }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    asio::ip::tcp::socket::async_read_some(
        buffers, Completion<std::decay_t<Handler>, true>{this, std::forward<Handler>(handler)});
  }

  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    ++writes_in_flight_;
    try {
      asio::ip::tcp::socket::async_write_some(
          buffers, Completion<std::decay_t<Handler>, false>{this, std::forward<Handler>(handler)});
    } catch (...) {
      --writes_in_flight_;
      throw;
    }
  }

  // RESTinio's completion handler of a read (kRead) or a write on `socket`, run as the socket's
  // bookkeeping asks. Asio takes its executor and allocator from `handler`'s (asio::associator,
  // below), so it runs where RESTinio's would have run (the connection's strand).
  template <typename Handler, bool kRead>
  struct Completion {
    AnsweringSocket* socket;
    Handler handler;

    void operator()(const asio::error_code& ec, size_t n) {
      if constexpr (!kRead) --socket->writes_in_flight_;
      if constexpr (kRead) {
        if (!ec && n > 0 && reads_to_ != nullptr) reads_to_->BytesRead(DrainState::Clock::now());
      }
      struct Restore {
        AnsweringSocket* outer;
        ~Restore() { active_ = outer; }
      } restore{std::exchange(active_, socket)};
      handler(ec, n);
    }

    // A write that continues a composed write (asio::async_write) says so, as RESTinio's own
    // handler would, so a loop of several threads does not wake another thread for it.
    friend bool asio_handler_is_continuation(Completion* c) {
      return asio_handler_cont_helpers::is_continuation(c->handler);
    }
  };

  // Writes "HTTP/1.1 100 Continue" now (see WriteNow).
  void SendContinue() { WriteNow("HTTP/1.1 100 Continue\r\n\r\n"); }

  // The connection's parser as a message begins, null once it is complete (called from the
  // parser, while Active()): a failure between messages (bytes that do not begin one) is not
  // answered either.
  void Watch(http_parser* parser) { parser_ = parser; }

  // What RESTinio calls to close the connection: first, from inside a completion whose parse
  // failed, the answer to the malformed request.
  void shutdown(asio::ip::tcp::socket::shutdown_type how, asio::error_code& ec) {
    AnswerMalformed();
    asio::ip::tcp::socket::shutdown(how, ec);
  }
  void close() {
    AnswerMalformed();
    asio::ip::tcp::socket::close();
  }

 private:
  // Writes `bytes` now, unless another write is in flight or the socket cannot take them
  // without waiting; true when written. A write the kernel takes only in part (it needs a send
  // buffer nearly full, and these are a few hundred bytes) leaves the stream broken: the
  // connection is shut down rather than the loop made to wait.
  bool WriteNow(std::string_view bytes) {
    if (writes_in_flight_ > 0 || !is_open()) return false;
    const int fd = native_handle();
    ssize_t n;
    do {
      n = ::send(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(bytes.size())) return true;
    if (n > 0) ::shutdown(fd, SHUT_RDWR);
    return false;
  }

  // Once per failed parse, and only from inside one of this socket's completions (where
  // RESTinio parses): a close from anywhere else (a time-out) has nothing to do with the
  // parser's state, and one inside them after a good parse (an answer with "Connection: close",
  // a reset connection) finds the parser without an error.
  void AnswerMalformed() {
    if (active_ != this || parser_ == nullptr) return;
    const auto error = HTTP_PARSER_ERRNO(parser_);
    parser_ = nullptr;
    if (error == HPE_OK || error == HPE_PAUSED) return;
    if (!WriteNow(MalformedRequestAnswer(error, http_errno_description(error)))) return;
    // Closing with unread bytes makes the kernel reset the connection, which can destroy the
    // answer before the client reads it: read (and drop) what has already arrived, 64 KB at most.
    // A client still sending a large body after that may still see the reset (RESTinio closes
    // at once; there is no lingering close).
    char sink[4096];
    for (int i = 0; i < 16 && ::recv(native_handle(), sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
    }
  }

  static inline thread_local AnsweringSocket* active_ = nullptr;
  static inline thread_local DrainState* reads_to_ = nullptr;
  http_parser* parser_ = nullptr;  // the connection's parser; null once a failure is answered
  int writes_in_flight_ = 0;       // touched only by the connection's handlers (its strand)
};

}  // namespace countersign::http

// A Completion has its handler's executor, allocator and cancellation slot: one specialization
// for every association, as Asio's own binders forward them.
template <template <typename, typename> class Associator, typename Handler, bool kRead,
          typename DefaultCandidate>
struct asio::associator<Associator, countersign::http::AnsweringSocket::Completion<Handler, kRead>,
                        DefaultCandidate> {
  using type = typename Associator<Handler, DefaultCandidate>::type;
  static type get(const countersign::http::AnsweringSocket::Completion<Handler, kRead>& c,
                  const DefaultCandidate& d = DefaultCandidate()) noexcept {
    return Associator<Handler, DefaultCandidate>::get(c.handler, d);
  }
};
