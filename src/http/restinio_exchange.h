// One request's way through RESTinio: ToRequest makes our http::Request of RESTinio's (the
// client's address included), Respond writes our http::Response back with the access log line
// and the observer's count, and AnswerOutbox carries the answers that handlers give from threads
// outside the event loop. Included by http/server.cc only (RESTinio's types).
#pragma once

#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <restinio/all.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/access_log.h"
#include "http/client_address.h"
#include "http/drain_state.h"
#include "http/message.h"
#include "http/server_observer.h"
#include "http/spilled_body.h"
#include "http/status_mapping.h"
#include "http/upload_spill.h"

namespace countersign::http {

// The peer's address as text, IPv4 without asio's inet_ntop and snprintf (once per request).
inline std::string AddressText(const asio::ip::address& address) {
  if (!address.is_v4()) return address.to_string();
  const asio::ip::address_v4::bytes_type bytes = address.to_v4().to_bytes();
  std::string out;
  out.reserve(15);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out += '.';
    out += std::to_string(bytes[i]);
  }
  return out;
}

// Takes the body out of `req` (see below). The client's address is the peer's, or the one
// X-Forwarded-For names when the peer is a trusted proxy (http/client_address.h).
inline Request ToRequest(const restinio::request_handle_t& req, const TrustedProxies& trusted) {
  Request out;
  const auto& h = req->header();
  out.method = h.method().c_str();
  out.path = UrlDecode(h.path(), /*plus_is_space=*/false);
  out.raw_query = std::string(h.query());
  out.query = ParseUrlEncoded(out.raw_query);
  h.for_each_field([&out](const restinio::http_header_field_t& f) {
    out.headers.emplace_back(std::string(f.name()), std::string(f.value()));
  });
  // The body is moved, not copied (an upload may be 160 MB): RESTinio gives only a const
  // reference, but its request_t member is not a const object and nothing reads it again
  // after this (the handle is kept only to write the answer).
  if (std::optional<std::string> spilled = UploadSpill::SpilledPath(req->body())) {
    out.spilled_body = std::make_shared<SpilledBody>(std::move(*spilled));
  } else {
    out.body = std::move(const_cast<std::string&>(req->body()));
  }
  // The header is looked at only when some proxy is trusted (a scan of the headers).
  out.remote_ip = ClientAddress(AddressText(req->remote_endpoint().address()),
                                trusted.empty() ? "" : out.HeaderList("x-forwarded-for"), trusted);
  return out;
}

// What the access log line and the observer need about one request, kept from its arrival to
// its answer.
struct Exchange {
  std::string request_id;
  std::string method;
  std::string route;  // the matched pattern, or the path when nothing matched
  bool matched = false;
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<InFlightToken> in_flight;
  const DrainState* drain = nullptr;
  ServerObserver* observer = nullptr;
};

// Sends `resp` on `req`'s connection with the request id, and writes the access log line.
// Callable from any thread (RESTinio posts the write to the connection's own executor), but not
// from inside RESTinio's call of the request handler (http/server.cc, AnswerAfterReturn).
inline restinio::request_handling_status_t Respond(const restinio::request_handle_t& req,
                                                   const Exchange& exchange, Response resp) {
  // An answer to HEAD has no body, whichever path gave it (a route, a refusal, a busy queue),
  // but the Content-Length a GET would have (RFC 9110 §9.3.2).
  const bool head = exchange.method == "HEAD";
  const size_t length = resp.body.size();
  if (head) resp.body.clear();
  resp.SetHeader("X-Request-Id", exchange.request_id);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - exchange.started)
          .count();
  log::WriteAccess(exchange.request_id, exchange.method, exchange.route, resp.status,
                   std::round(ms * 1000) / 1000, resp.body.size());
  if (exchange.observer != nullptr) {
    exchange.observer->OnResponse(exchange.method, exchange.matched ? exchange.route : "",
                                  resp.status, ms / 1000);
  }
  // The length is set by hand (RESTinio's user-controlled output), so that HEAD can say it too.
  auto builder =
      req->create_response<restinio::user_controlled_output_t>(restinio::http_status_line_t{
          restinio::http_status_code_t{static_cast<std::uint16_t>(resp.status)},
          ReasonPhrase(resp.status)});
  for (auto& [name, value] : resp.headers) builder.append_header(std::move(name), std::move(value));
  // While stopping, the client is told to open its next request elsewhere.
  if (exchange.drain != nullptr && exchange.drain->draining()) builder.connection_close();
  builder.set_content_length(length);
  if (!head) builder.set_body(std::move(resp.body));
  // The request stays in progress until its answer is written.
  return builder.done([token = exchange.in_flight](const auto&) {});
}

// Answers of asynchronous handlers given from threads outside the io_context (the SQLite
// committer calls back once per write of a batch): gathered here and sent by one task on an
// HTTP thread, so a batch costs one wake-up of an HTTP thread instead of one per answer, and the
// committer goes back to committing. Thread-safe. Must outlive the io_context's run.
class AnswerOutbox {
 public:
  explicit AnswerOutbox(asio::io_context& io) : io_(io) {}

  void Send(restinio::request_handle_t req, Exchange exchange, Response resp) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back({std::move(req), std::move(exchange), std::move(resp)});
      if (posted_) return;  // the task already on its way sends this one too
      posted_ = true;
    }
    asio::post(io_, [this] { SendPending(); });
  }

 private:
  struct Answer {
    restinio::request_handle_t req;
    Exchange exchange;
    Response resp;
  };

  void SendPending() {
    std::vector<Answer> answers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      answers.swap(pending_);
      posted_ = false;
    }
    for (Answer& answer : answers) Respond(answer.req, answer.exchange, std::move(answer.resp));
  }

  asio::io_context& io_;
  std::mutex mu_;
  std::vector<Answer> pending_;  // guarded by mu_
  bool posted_ = false;          // a SendPending task is queued; guarded by mu_
};

}  // namespace countersign::http
