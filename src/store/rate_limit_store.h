// RateLimitStore: counters in fixed time windows, shared by every instance through the
// database (table `rate_limits`). A bucket holds one window at a time: using it with a newer
// window_start starts it over from zero. Used by the API rate limiter (which takes slices of a
// window's quota) and the log-in throttle (which counts failures). Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace countersign {

struct RateTake {
  int64_t granted = 0;  // what this call took (0..want)
  int64_t taken = 0;    // the window's total after this call (<= limit)
};

class RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;

  // Atomically takes min(want, limit - taken) units from `bucket`'s window that began at
  // `window_start` (want >= 1, limit >= 0). A bucket on an older window starts over; one on a
  // newer window (another instance's clock ahead) is used as is. Errors: only the database's.
  virtual StatusOr<RateTake> Take(const std::string& bucket, int64_t window_start, int64_t limit,
                                  int64_t want) = 0;
  // Units taken in the window that began at `window_start` (0 for an unknown bucket or one
  // still on an older window).
  virtual StatusOr<int64_t> Taken(const std::string& bucket, int64_t window_start) = 0;
  // Removes buckets whose window began before `window_start`; returns how many.
  virtual StatusOr<int> DeleteOlderThan(int64_t window_start) = 0;
};

}  // namespace countersign
