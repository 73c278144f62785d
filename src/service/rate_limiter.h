// RateLimiter: fixed-window request quotas ("N requests per window") that hold across every
// instance sharing one database, without a database round trip per request.
//
// Design. Each bucket (e.g. one account's standard-tier API calls) has one row in
// `rate_limits` (store/rate_limit_store.h) counting the units handed out in the current window.
// An instance never counts single requests there: it *leases a slice* of the window's quota
// with one transaction (RateLimitStore::Take, a conditional take of min(slice, limit - taken))
// and then spends the slice in memory under a sharded mutex. Only when its slice is spent does
// it go back to the database. Slices are a tenth of the limit (at most `max_slice`), and
// shrink to a quarter of what is left as the window fills, so with k instances at most about
// k * slice requests are refused early while another instance still holds unspent units, and
// the limit itself is never exceeded. Once the database reports the window exhausted the
// instance remembers that and refuses without asking again until the window ends. Units are
// never returned: a slice an instance does not spend is lost for that window.
// `remaining` is limit - (units leased by all instances) + (this instance's unspent units):
// exact on one instance, conservative on several.
//
// Memory: one small entry per bucket seen; entries of past windows are dropped when a shard
// grows past a few thousand entries. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "store/rate_limit_store.h"

namespace countersign {

struct RateDecision {
  bool allowed = true;
  int64_t limit = 0;        // the window's quota
  int64_t remaining = 0;    // left in this window after this request
  int64_t reset_at = 0;     // Unix time the window ends
  int64_t retry_after = 0;  // seconds until reset_at (at least 1), when refused
};

class RateLimiter {
 public:
  struct Options {
    int64_t window_seconds = 60;
    int64_t max_slice = 1000;  // most units one lease takes
  };

  RateLimiter(RateLimitStore& store, const Clock& clock, Options options);

  // Counts one request against `bucket`, whose quota is `limit` per window (limit <= 0: no
  // limit, always allowed). Errors: only the database's, when a lease is needed.
  StatusOr<RateDecision> Acquire(std::string_view bucket, int64_t limit);

  int64_t window_seconds() const { return options_.window_seconds; }

 private:
  struct Entry {
    int64_t window_start = 0;
    int64_t local = 0;  // leased units not yet spent by this instance
    int64_t taken = 0;  // units leased by all instances, as of our last lease
    bool exhausted = false;
  };
  // Looks buckets up by string_view: no key is built for a bucket already seen.
  struct BucketHash {
    using is_transparent = void;
    size_t operator()(std::string_view bucket) const {
      return std::hash<std::string_view>{}(bucket);
    }
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Entry, BucketHash, std::equal_to<>> entries;
  };
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxEntriesPerShard = 4096;

  RateLimitStore& store_;
  const Clock& clock_;
  Options options_;
  Shard shards_[kShards];
};

}  // namespace countersign
