#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <restinio/all.hpp>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/work_queue.h"
#include "http/answering_socket.h"
#include "http/drain_state.h"
#include "http/parser_settings.h"
#include "http/port_probe.h"
#include "http/protocol_checks.h"
#include "http/restinio_exchange.h"
#include "http/status_mapping.h"

namespace countersign::http {

namespace {

// Counts open connections for the graceful stop (RESTinio calls it on accept and close, from
// any loop thread). RESTinio reports "closed" each time it closes a connection, which can be
// twice (an error, then the pending read failing), so a connection counts as closed once: the
// open ones are kept by id (unique per server).
class ConnectionCounter {
 public:
  explicit ConnectionCounter(DrainState& drain) : drain_(drain) {}
  void state_changed(const restinio::connection_state::notice_t& notice) noexcept {
    const auto cause = notice.cause();
    const auto now = DrainState::Clock::now();
    const bool accepted =
        restinio::holds_alternative<restinio::connection_state::accepted_t>(cause);
    if (!accepted && !restinio::holds_alternative<restinio::connection_state::closed_t>(cause)) {
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (accepted) {
      if (open_.insert(notice.connection_id()).second) drain_.ConnectionOpened(now);
    } else if (open_.erase(notice.connection_id()) > 0) {
      drain_.ConnectionClosed(now);
    }
  }

 private:
  DrainState& drain_;
  std::mutex mu_;
  std::unordered_set<restinio::connection_id_t> open_;  // guarded by mu_
};

template <typename Base>
struct Traits : Base {
  using connection_state_listener_t = ConnectionCounter;
  using http_methods_mapper_t = HookedHttpMethods;  // http/parser_settings.h
  using stream_socket_t = AnsweringSocket;          // http/answering_socket.h
};
// Several threads on one loop need a strand per connection; a loop of one thread needs none.
using SharedLoopTraits = Traits<restinio::default_traits_t>;
using OwnLoopTraits = Traits<restinio::default_single_thread_traits_t>;

// The exception barrier's answer: `what` (routing or the handler) failed with `e`; logged, and
// answered 500 without the detail.
Response Failed(const char* what, const std::exception& e, const std::string& request_id) {
  log::Write(log::Level::kError, "http", std::string("request ") + what + " failed",
             {{"error", e.what()}}, request_id);
  return ErrorResponse(Internal("The request could not be processed."));
}

// Runs the matched handler behind the exception barrier: a handler that throws answers 500.
// Lets go of a spilled body before it returns.
Response RunHandler(const Router& router, const RouteMatch& match, Request& request) {
  Response resp;
  try {
    resp = router.Run(match, request);
  } catch (const std::exception& e) {
    resp = Failed("handler", e, request.request_id);
  }
  // A spilled upload's file is removed before the answer leaves, not whenever the request
  // object happens to go: a client that hears back sees no such file left.
  request.spilled_body.reset();
  return resp;
}

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

// Answers `req` once the handler that RESTinio called for it has returned, never from inside it.
// RESTinio 0.6.16 reads at most one request ahead of the answers (max_pipelined_requests 1). An
// answer written from inside the handler made it resume reading twice, once as the handler
// returned and again when that write completed, and the second read met a full table of
// answers: the connection closed with an answer unsent (three pipelined requests got one
// answer), or a request half read was parsed again from its middle.
// Posted to the loop, which is this thread's: with one thread per loop Asio queues it without a
// lock or a wake-up.
restinio::request_handling_status_t AnswerAfterReturn(const Lanes& lanes,
                                                      const restinio::request_handle_t& req,
                                                      Exchange exchange, Response resp) {
  asio::post(*lanes.io, [req, exchange = std::move(exchange), resp = std::move(resp)]() mutable {
    try {
      Respond(req, exchange, std::move(resp));
    } catch (const std::exception& e) {  // bad_alloc: the loop goes on; the client times out
      log::Write(log::Level::kError, "http", "an answer could not be sent", {{"error", e.what()}},
                 exchange.request_id);
    }
  });
  return restinio::request_accepted();
}

restinio::request_handling_status_t Handle(const Router& router, const Lanes& lanes,
                                           const restinio::request_handle_t& req) {
  Exchange exchange;
  exchange.started = std::chrono::steady_clock::now();
  exchange.in_flight = std::make_shared<InFlightToken>(*lanes.drain);
  exchange.drain = lanes.drain;
  exchange.observer = lanes.observer;
  if (std::optional<RequestLimits::Exceeded> over = RequestLimits::Of(req->body())) {
    // Not routed: its body was dropped (http/request_limits.h).
    exchange.request_id = NewRequestId();
    exchange.method = req->header().method().c_str();
    exchange.route = "(refused)";
    return AnswerAfterReturn(lanes, req, std::move(exchange), RequestLimits::Answer(*over));
  }
  Request request;
  RouteMatch match;
  try {
    request = ToRequest(req, *lanes.trusted_proxies);
    exchange.request_id = request.request_id = RequestIdFor(request);
    exchange.method = request.method;
    if (std::optional<Response> refused =
            CheckProtocol(request, req->header().http_major(), req->header().http_minor())) {
      exchange.route = "(refused)";
      request.spilled_body.reset();
      return AnswerAfterReturn(lanes, req, std::move(exchange), std::move(*refused));
    }
    match = router.Resolve(request);
    exchange.matched = match.pattern != nullptr;
    exchange.route = exchange.matched ? *match.pattern : request.path;
  } catch (const std::exception& e) {
    if (exchange.request_id.empty()) exchange.request_id = NewRequestId();
    Response failed = Failed("routing", e, exchange.request_id);
    return AnswerAfterReturn(lanes, req, std::move(exchange), std::move(failed));
  }
  WorkQueue* queue = match.lane == Lane::kCompute ? lanes.compute
                     : match.lane == Lane::kFetch ? lanes.fetch
                                                  : nullptr;
  if (queue == nullptr && match.async_handler != nullptr) {
    // Answered later (e.g. by the SQLite committer thread once its write is durable), so this
    // thread goes back to other connections instead of waiting.
    try {
      // The answer may come before the handler returns (a refusal found before any write).
      (*match.async_handler)(request, [req, exchange, &lanes](Response resp) {
        lanes.outbox->Send(req, exchange, std::move(resp));
      });
    } catch (const std::exception& e) {
      return AnswerAfterReturn(lanes, req, std::move(exchange),
                               Failed("handler", e, request.request_id));
    }
    return restinio::request_accepted();
  }
  if (queue == nullptr) {
    return AnswerAfterReturn(lanes, req, std::move(exchange), RunHandler(router, match, request));
  }
  auto job = [&router, match, req, exchange, request = std::move(request)]() mutable {
    Respond(req, exchange, RunHandler(router, match, request));
  };
  if (queue->TrySubmit(std::move(job))) return restinio::request_accepted();
  Response busy = ErrorResponse(Status(Code::kUnavailable,
                                       "The server is busy with other requests of this kind; retry "
                                       "in a few seconds."));
  busy.SetHeader("Retry-After", std::to_string(lanes.retry_after_seconds));
  return AnswerAfterReturn(lanes, req, std::move(exchange), std::move(busy));
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
                                    options.upload_spill_min_bytes};
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
      pool.emplace_back([&io = loop->io, &drain] {
        AnsweringSocket::ReportReadsTo(&drain);
        io.run();
      });
    }
  }
  AnsweringSocket::ReportReadsTo(&drain);
  main_io.run();
  AnsweringSocket::ReportReadsTo(nullptr);  // `drain` goes with this function
  stop_all();
  for (auto& t : pool) t.join();
  if (observer != nullptr) observer->OnQueues(nullptr, nullptr);
  return Status::Ok();
}

}  // namespace countersign::http
