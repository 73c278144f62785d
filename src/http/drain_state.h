// DrainState: what a graceful stop of the HTTP server waits for (http/server.h). It counts the
// requests in progress (from arrival to the end of writing the answer) and the open
// connections, and remembers the last activity of either; once draining has begun, Done() says
// when the stop may end: no request in progress and either no connection left or none active
// for `idle`, or `grace` passed since the stop began.
//
// Thread-safe (atomics); times are passed in, so tests need no clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace countersign::http {

class DrainState {
 public:
  using Clock = std::chrono::steady_clock;

  DrainState(std::chrono::milliseconds grace, std::chrono::milliseconds idle)
      : grace_(grace), idle_(idle) {}

  void RequestStarted(Clock::time_point now);
  void RequestFinished(Clock::time_point now);
  void ConnectionOpened(Clock::time_point now);
  void ConnectionClosed(Clock::time_point now);
  // Bytes of a request arrived (a connection still sending its request, e.g. a slow upload, is
  // active although no request of it is in progress yet).
  void BytesRead(Clock::time_point now) { Touch(now); }

  // Marks the start of the stop; false when it had already begun (a second signal).
  bool BeginDraining(Clock::time_point now);
  bool draining() const { return draining_.load(); }

  // True when a stop that has begun may end at `now` (see above); false before it began.
  bool Done(Clock::time_point now) const;

  int in_flight() const { return in_flight_.load(); }
  int connections() const { return connections_.load(); }

 private:
  void Touch(Clock::time_point now) { last_activity_ns_.store(Ns(now)); }
  static int64_t Ns(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  }

  const std::chrono::milliseconds grace_;
  const std::chrono::milliseconds idle_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> connections_{0};
  std::atomic<int64_t> last_activity_ns_{0};
  std::atomic<int64_t> drain_started_ns_{0};
  std::atomic<bool> draining_{false};
};

// One request in progress, for the graceful stop: counted from its arrival until its answer
// is written (or the connection is gone), however the copies of the token travel.
class InFlightToken {
 public:
  explicit InFlightToken(DrainState& drain) : drain_(drain) {
    drain_.RequestStarted(DrainState::Clock::now());
  }
  ~InFlightToken() { drain_.RequestFinished(DrainState::Clock::now()); }
  InFlightToken(const InFlightToken&) = delete;
  InFlightToken& operator=(const InFlightToken&) = delete;

 private:
  DrainState& drain_;
};

}  // namespace countersign::http
