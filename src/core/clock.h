// Clock: the only source of "now". Services take a `Clock&`; tests pass a FakeClock.
// Implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace countersign {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch (UTC).
  virtual int64_t NowSeconds() const = 0;
  // Microseconds since the Unix epoch; by default the second's first microsecond.
  virtual int64_t NowMicros() const { return NowSeconds() * 1'000'000; }
};

class SystemClock final : public Clock {
 public:
  int64_t NowSeconds() const override;
  int64_t NowMicros() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now = 1700000000) : now_(now) {}
  int64_t NowSeconds() const override { return now_.load(); }
  void Advance(int64_t seconds) { now_ += seconds; }
  void Set(int64_t now) { now_ = now; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace countersign
