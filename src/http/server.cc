#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <restinio/all.hpp>
#include <thread>
#include <vector>

#include "core/access_log.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/work_queue.h"
#include "http/drain_state.h"
#include "http/port_probe.h"
#include "http/status_mapping.h"
#include "http/upload_spill.h"

namespace countersign::http {

namespace {

// Counts open connections for the graceful stop (RESTinio calls it on accept and close).
class ConnectionCounter {
 public:
  explicit ConnectionCounter(DrainState& drain) : drain_(drain) {}
  void state_changed(const restinio::connection_state::notice_t& notice) noexcept {
    const auto cause = notice.cause();
    const auto now = DrainState::Clock::now();
    if (restinio::holds_alternative<restinio::connection_state::accepted_t>(cause)) {
      drain_.ConnectionOpened(now);
    } else if (restinio::holds_alternative<restinio::connection_state::closed_t>(cause)) {
      drain_.ConnectionClosed(now);
    }
  }

 private:
  DrainState& drain_;
};

template <typename Base>
struct Traits : Base {
  using connection_state_listener_t = ConnectionCounter;
  using http_methods_mapper_t = SpillingHttpMethods;  // large uploads go to disk
};
// Several threads on one loop need a strand per connection; a loop of one thread needs none.
using SharedLoopTraits = Traits<restinio::default_traits_t>;
using OwnLoopTraits = Traits<restinio::default_single_thread_traits_t>;

// The peer's address as text, IPv4 without asio's inet_ntop and snprintf (once per request).
std::string AddressText(const asio::ip::address& address) {
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
Request ToRequest(const restinio::request_handle_t& req, const TrustedProxies& trusted) {
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
// Callable from any thread (RESTinio posts the write to the connection's own executor).
restinio::request_handling_status_t Respond(const restinio::request_handle_t& req,
                                            const Exchange& exchange, Response resp) {
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
  auto builder = req->create_response(restinio::http_status_line_t{
      restinio::http_status_code_t{static_cast<std::uint16_t>(resp.status)},
      ReasonPhrase(resp.status)});
  for (auto& [name, value] : resp.headers) builder.append_header(name, value);
  // While stopping, the client is told to open its next request elsewhere.
  if (exchange.drain != nullptr && exchange.drain->draining()) builder.connection_close();
  builder.set_body(std::move(resp.body));
  // The request stays in progress until its answer is written.
  return builder.done([token = exchange.in_flight](const auto&) {});
}

// The exception barrier's answer: `what` (routing or the handler) failed with `e`; logged, and
// answered 500 without the detail.
Response Failed(const char* what, const std::exception& e, const std::string& request_id) {
  log::Write(log::Level::kError, "http", std::string("request ") + what + " failed",
             {{"error", e.what()}}, request_id);
  return ErrorResponse(Internal("The request could not be processed."));
}

// Runs the matched handler behind the exception barrier: a handler that throws answers 500.
Response RunHandler(const Router& router, const RouteMatch& match, Request& request) {
  try {
    Response resp = router.Run(match, request);
    if (request.method == "HEAD") resp.body.clear();
    return resp;
  } catch (const std::exception& e) {
    return Failed("handler", e, request.request_id);
  }
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

// The bounded queues for the routes that must not run on the HTTP threads, and what every
// request reports to.
struct Lanes {
  WorkQueue* compute;
  WorkQueue* fetch;
  int retry_after_seconds;
  DrainState* drain;
  ServerObserver* observer;
  asio::io_context* io;
  AnswerOutbox* outbox;  // answers given from outside the io_context
  const TrustedProxies* trusted_proxies;
};

restinio::request_handling_status_t Handle(const Router& router, const Lanes& lanes,
                                           const restinio::request_handle_t& req) {
  Exchange exchange;
  exchange.started = std::chrono::steady_clock::now();
  exchange.in_flight = std::make_shared<InFlightToken>(*lanes.drain);
  exchange.drain = lanes.drain;
  exchange.observer = lanes.observer;
  Request request;
  RouteMatch match;
  try {
    request = ToRequest(req, *lanes.trusted_proxies);
    exchange.request_id = request.request_id = RequestIdFor(request);
    exchange.method = request.method;
    match = router.Resolve(request);
    exchange.matched = match.pattern != nullptr;
    exchange.route = exchange.matched ? *match.pattern : request.path;
  } catch (const std::exception& e) {
    if (exchange.request_id.empty()) exchange.request_id = RandomHex(8);
    return Respond(req, exchange, Failed("routing", e, exchange.request_id));
  }
  WorkQueue* queue = match.lane == Lane::kCompute ? lanes.compute
                     : match.lane == Lane::kFetch ? lanes.fetch
                                                  : nullptr;
  if (queue == nullptr && match.async_handler != nullptr) {
    // Answered later (e.g. by the SQLite committer thread once its write is durable), so this
    // thread goes back to other connections instead of waiting.
    try {
      (*match.async_handler)(request, [req, exchange, &lanes](Response resp) {
        if (lanes.io->get_executor().running_in_this_thread()) {
          Respond(req, exchange, std::move(resp));
        } else {
          lanes.outbox->Send(req, exchange, std::move(resp));
        }
      });
    } catch (const std::exception& e) {
      return Respond(req, exchange, Failed("handler", e, request.request_id));
    }
    return restinio::request_accepted();
  }
  if (queue == nullptr) return Respond(req, exchange, RunHandler(router, match, request));
  auto job = [&router, match, req, exchange, request = std::move(request)]() mutable {
    Respond(req, exchange, RunHandler(router, match, request));
  };
  if (queue->TrySubmit(std::move(job))) return restinio::request_accepted();
  Response busy = ErrorResponse(Status(Code::kUnavailable,
                                       "The server is busy with other requests of this kind; retry "
                                       "in a few seconds."));
  busy.SetHeader("Retry-After", std::to_string(lanes.retry_after_seconds));
  return Respond(req, exchange, std::move(busy));
}

// One event loop: an io_context, the RESTinio server accepting on it (its own listening
// socket), and where answers given from outside it are gathered. Run by threads_per_loop
// threads.
struct Loop {
  explicit Loop(int threads) : io(threads), outbox(io) {}
  asio::io_context io;
  AnswerOutbox outbox;
  Lanes lanes{};
  // Stops accepting, on the loop's own thread; then `closed`, or `failed`. Owns the loop's
  // restinio::http_server_t (of either Traits), so it goes before `io`.
  std::function<void(std::function<void()> closed, std::function<void()> failed)> close;
};

// Binds `loop`'s server to address:port (SO_REUSEPORT when `shared`, so every loop listens on
// the same port and the kernel spreads new connections over them) and starts accepting.
// Returns the bound port. Errors: kUnavailable when the address cannot be bound.
template <typename LoopTraits>
StatusOr<uint16_t> OpenLoop(const ServerOptions& options, uint16_t port, bool shared,
                            const Router& router, DrainState& drain, Loop& loop) {
  uint16_t bound = 0;
  restinio::server_settings_t<LoopTraits> settings;
  settings.connection_state_listener(std::make_shared<ConnectionCounter>(drain));
  settings.port(port)
      .address(options.bind_address)
      .request_handler([&router, lanes = &loop.lanes](restinio::request_handle_t req) {
        return Handle(router, *lanes, req);
      })
      .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                    .max_body_size(options.max_body_bytes)
                                    .max_url_size(options.max_url_bytes)
                                    .max_field_count(200))
      // Each connection reads through a buffer of its own, resident while it is open. 16 KB
      // (RESTinio's default is 4) reads a 1 MB upload in 64 recv calls instead of 256: server
      // CPU per send ~6.5 -> ~5.7 ms, for +11 MB per 1,000 open connections (64 KB: ~5.4 ms,
      // +58 MB; bench/RESULTS.md).
      .buffer_size(16 * 1024)
      .read_next_http_message_timelimit(std::chrono::seconds(60))
      .handle_request_timeout(std::chrono::seconds(60))
      .acceptor_options_setter([shared](restinio::acceptor_options_t& acceptor) {
        acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true));
        using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
        if (shared) acceptor.set_option(ReusePort(true));
      })
      .acceptor_post_bind_hook([&bound](asio::ip::tcp::acceptor& acceptor) {
        bound = acceptor.local_endpoint().port();
      });
  auto server = std::make_shared<restinio::http_server_t<LoopTraits>>(
      restinio::external_io_context(loop.io), std::move(settings));
  try {
    server->open_sync();  // no thread runs the loop yet
  } catch (const std::exception& e) {
    return Status(Code::kUnavailable, std::string("cannot listen: ") + e.what());
  }
  loop.close = [server](std::function<void()> closed, std::function<void()> failed) {
    server->close_async(std::move(closed), [failed](std::exception_ptr) { failed(); });
  };
  return bound;
}

}  // namespace

Status RunHttpServer(const ServerOptions& options, const Router& router,
                     const std::function<void(uint16_t)>& on_listening) {
  const int loop_count = std::clamp(options.loops, 1, std::max(1, options.threads));
  const int threads_per_loop = (std::max(1, options.threads) + loop_count - 1) / loop_count;
  DrainState drain(options.shutdown_grace, options.drain_idle);
  std::vector<std::unique_ptr<Loop>> loops;
  for (int i = 0; i < loop_count; ++i) loops.push_back(std::make_unique<Loop>(threads_per_loop));
  asio::io_context& main_io = loops.front()->io;  // signals and the drain run here
  // Declared after the loops, so they are drained and joined before the loops go away.
  WorkQueue compute("compute", options.compute_threads, options.compute_queue);
  WorkQueue fetch("fetch", options.fetch_threads, options.fetch_queue);
  ServerObserver* observer = options.observer;
  for (auto& loop : loops) {
    loop->lanes =
        Lanes{&compute,  &fetch,        options.busy_retry_after_seconds, &drain, observer,
              &loop->io, &loop->outbox, &options.trusted_proxies};
  }
  // Spilling is installed for as long as this server runs.
  const UploadSpill::Settings spill{options.upload_spill_dir, RandomHex(16),
                                    options.upload_spill_min_bytes, options.max_body_bytes};
  if (!spill.dir.empty()) UploadSpill::Install(&spill);
  struct Uninstall {
    ~Uninstall() { UploadSpill::Install(nullptr); }
  } uninstall;

  const bool shared = loop_count > 1;
  if (shared) {
    Status free = CheckPortFree(options.bind_address, options.port);
    if (!free.ok()) return free;
  }
  uint16_t port = options.port;
  for (auto& loop : loops) {
    StatusOr<uint16_t> bound =
        threads_per_loop == 1
            ? OpenLoop<OwnLoopTraits>(options, port, shared, router, drain, *loop)
            : OpenLoop<SharedLoopTraits>(options, port, shared, router, drain, *loop);
    if (!bound.ok()) return bound.status();
    port = *bound;  // the first loop's port (the OS's pick for 0) for the others
  }
  if (observer != nullptr) observer->OnQueues(&compute, &fetch);
  const auto stop_all = [&loops] {
    for (auto& loop : loops) loop->io.stop();
  };

  // The graceful stop: refuse new connections, then check every few milliseconds whether what
  // is in progress has finished (DrainState); a second signal ends it at once.
  asio::signal_set signals(main_io, SIGINT, SIGTERM);
  asio::steady_timer drain_timer(main_io);
  std::function<void()> check_drained = [&] {
    if (drain.Done(DrainState::Clock::now())) {
      log::Info("http", "stopped serving",
                {{"in_flight", drain.in_flight()}, {"connections", drain.connections()}});
      stop_all();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([&](const asio::error_code& ec) {
      if (!ec) check_drained();
    });
  };
  std::atomic<int> open_loops{loop_count};
  signals.async_wait([&](const asio::error_code& ec, int signal_number) {
    if (ec) return;
    // Readiness says "stopping" before any answer says Connection: close.
    if (observer != nullptr) observer->OnDraining();
    drain.BeginDraining(DrainState::Clock::now());
    log::Info("http", "stopping: no new connections, finishing the requests in progress",
              {{"signal", signal_number},
               {"grace_ms", static_cast<int64_t>(options.shutdown_grace.count())}});
    signals.async_wait([&](const asio::error_code& again, int) {
      if (!again) stop_all();
    });
    for (auto& loop : loops) {
      // Each server closes on its own loop; the last one closed starts the drain check.
      loop->close(
          [&] {
            if (--open_loops == 0) asio::post(main_io, [&] { check_drained(); });
          },
          stop_all);
    }
  });
  on_listening(port);
  std::vector<std::thread> pool;
  for (auto& loop : loops) {
    for (int i = 0; i < threads_per_loop; ++i) {
      if (loop == loops.front() && i == 0) continue;  // this thread
      pool.emplace_back([&io = loop->io] { io.run(); });
    }
  }
  main_io.run();
  stop_all();
  for (auto& t : pool) t.join();
  if (observer != nullptr) observer->OnQueues(nullptr, nullptr);
  return Status::Ok();
}

}  // namespace countersign::http
