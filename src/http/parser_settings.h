// The server's HTTP parser callbacks: RESTinio's, except where Countersign answers requests over
// its limits (http/request_limits.h), spills large uploads to disk (http/upload_spill.h),
// answers "Expect: 100-continue" and lets a malformed request be answered
// (http/answering_socket.h). The request's HTTP version is recorded; chunk boundaries are not.
// RESTinio builds its callbacks with the function template
// `impl::create_parser_settings<Http_Methods>()`, chosen by `Traits::http_methods_mapper_t`; the
// server's Traits name HookedHttpMethods (RESTinio's methods, a type of its own) and this file
// specializes the template for it. Included by http/server.cc (and the fuzz target) only.
#pragma once

#include <unistd.h>

#include <climits>
#include <optional>
#include <restinio/all.hpp>
#include <string>
#include <string_view>

#include "http/answering_socket.h"
#include "http/message.h"
#include "http/request_limits.h"
#include "http/upload_spill.h"

namespace countersign::http {

struct HookedHttpMethods : restinio::default_http_methods_t {};

// At the end of a request's headers: RESTinio leaves the request's version at 1.1 whatever was
// sent, so it is recorded (http/protocol_checks.h reads it).
inline void RecordVersion(http_parser* parser) {
  auto& header = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data)->m_header;
  header.http_major(parser->http_major);
  header.http_minor(parser->http_minor);
}

// Runs `callback`, one of the parser callbacks below, for `parser`: an exception (bad_alloc)
// fails the parse instead of unwinding through http_parser's C code, and a spilled upload that
// the callback failed or stopped (marked over a limit, e.g. by fields in its trailer) has its
// file removed rather than left for the stale sweep.
template <typename Callback>
int Guarded(http_parser* parser, Callback callback) noexcept {
  const std::string& body = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data)->m_body;
  std::optional<std::string> spilled;
  int rc = -1;
  try {
    spilled = UploadSpill::SpilledPath(body);
    rc = callback();
  } catch (...) {
    rc = -1;
  }
  if (spilled && (rc != 0 || !UploadSpill::SpilledPath(body))) unlink(spilled->c_str());
  return rc;
}

// At the end of the headers of a request that will be read: "100 Continue" when it is an
// HTTP/1.1 request with a body and "Expect: 100-continue" (http/answering_socket.h), so the
// client sends its body now rather than after its own wait.
inline void AnswerExpectContinue(http_parser* parser) {
  if (parser->http_major != 1 || parser->http_minor < 1) return;
  const bool body = (parser->flags & F_CHUNKED) != 0 ||
                    (parser->content_length > 0 && parser->content_length != ULLONG_MAX);
  if (!body) return;
  const auto& header = static_cast<restinio::impl::http_parser_ctx_t*>(parser->data)->m_header;
  const auto raw = header.opt_value_of(restinio::http_field::expect);
  if (!raw) return;
  // http_parser keeps the spaces after a value.
  if (!IEquals(TrimSpaces(std::string_view(raw->data(), raw->size())), "100-continue")) return;
  if (AnsweringSocket* socket = AnsweringSocket::Active()) socket->SendContinue();
}

}  // namespace countersign::http

template <>
inline http_parser_settings
restinio::impl::create_parser_settings<countersign::http::HookedHttpMethods>() noexcept {
  using countersign::http::AnsweringSocket;
  using countersign::http::Guarded;
  using countersign::http::RequestLimits;
  using countersign::http::UploadSpill;
  http_parser_settings settings = create_parser_settings<restinio::default_http_methods_t>();
  settings.on_message_begin = [](http_parser* p) {
    if (AnsweringSocket* socket = AnsweringSocket::Active()) socket->Watch(p);
    return 0;
  };
  settings.on_url = [](http_parser* p, const char* at, size_t n) {
    return Guarded(p, [&] { return RequestLimits::OnUrl(p, at, n); });
  };
  settings.on_header_field = [](http_parser* p, const char* at, size_t n) {
    return Guarded(p, [&] { return RequestLimits::OnHeaderField(p, at, n); });
  };
  settings.on_header_value = [](http_parser* p, const char* at, size_t n) {
    return Guarded(p, [&] { return RequestLimits::OnHeaderValue(p, at, n); });
  };
  settings.on_headers_complete = [](http_parser* p) {
    return Guarded(p, [&] {
      countersign::http::RecordVersion(p);
      // A request over the limits gets no "100 Continue": its answer comes once its body has
      // been sent anyway (after the client's wait) and dropped.
      if (RequestLimits::MarkedAtHeaders(p)) return 0;
      const int rc = UploadSpill::OnHeadersComplete(p);
      if (rc == 0) countersign::http::AnswerExpectContinue(p);
      return rc;
    });
  };
  settings.on_body = [](http_parser* p, const char* at, size_t n) {
    return Guarded(
        p, [&] { return RequestLimits::DropBody(p, n) ? 0 : UploadSpill::OnBody(p, at, n); });
  };
  // RESTinio lists where each chunk of a chunked body lies (an entry of 16 bytes per chunk),
  // which nothing here reads: a body sent in 1-byte chunks (6 bytes each on the wire) cost
  // several times its size in memory, ~70 MB for 30 MB of them.
  settings.on_chunk_header = [](http_parser*) { return 0; };
  settings.on_message_complete = [](http_parser* p) {
    if (AnsweringSocket* socket = AnsweringSocket::Active()) socket->Watch(nullptr);
    return Guarded(p, [&] { return UploadSpill::OnMessageComplete(p); });
  };
  return settings;
}
