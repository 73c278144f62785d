#include "http/drain_state.h"

namespace countersign::http {

void DrainState::RequestStarted(Clock::time_point now) {
  ++in_flight_;
  Touch(now);
}

void DrainState::RequestFinished(Clock::time_point now) {
  --in_flight_;
  Touch(now);
}

void DrainState::ConnectionOpened(Clock::time_point now) {
  ++connections_;
  Touch(now);
}

void DrainState::ConnectionClosed(Clock::time_point now) {
  --connections_;
  Touch(now);
}

bool DrainState::BeginDraining(Clock::time_point now) {
  if (draining_.exchange(true)) return false;
  drain_started_ns_.store(Ns(now));
  Touch(now);
  return true;
}

bool DrainState::Done(Clock::time_point now) const {
  if (!draining_.load()) return false;
  const int64_t t = Ns(now);
  if (t - drain_started_ns_.load() >= std::chrono::nanoseconds(grace_).count()) return true;
  if (in_flight_.load() > 0) return false;
  if (connections_.load() <= 0) return true;
  return t - last_activity_ns_.load() >= std::chrono::nanoseconds(idle_).count();
}

}  // namespace countersign::http
