#include "service/rate_limiter.h"

#include <algorithm>
#include <functional>

namespace countersign {

RateLimiter::RateLimiter(RateLimitStore& store, const Clock& clock, Options options)
    : store_(store), clock_(clock), options_(options) {
  if (options_.window_seconds < 1) options_.window_seconds = 1;
  if (options_.max_slice < 1) options_.max_slice = 1;
}

StatusOr<RateDecision> RateLimiter::Acquire(std::string_view bucket, int64_t limit) {
  const int64_t now = clock_.NowSeconds();
  const int64_t window_start = now - now % options_.window_seconds;
  RateDecision d;
  d.limit = limit;
  d.reset_at = window_start + options_.window_seconds;
  if (limit <= 0) {
    d.remaining = 0;
    return d;
  }
  Shard& shard = shards_[BucketHash{}(bucket) % kShards];
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.entries.size() > kMaxEntriesPerShard) {
    std::erase_if(shard.entries,
                  [&](const auto& kv) { return kv.second.window_start < window_start; });
  }
  auto it = shard.entries.find(bucket);
  if (it == shard.entries.end()) it = shard.entries.emplace(std::string(bucket), Entry{}).first;
  const std::string& key = it->first;
  Entry& e = it->second;
  if (e.window_start != window_start) e = Entry{window_start, 0, 0, false};
  if (e.local == 0 && !e.exhausted) {
    // A tenth of the quota per lease, shrinking to a quarter of what is left.
    int64_t slice = std::min({options_.max_slice, std::max<int64_t>(1, limit / 10),
                              std::max<int64_t>(1, (limit - e.taken) / 4)});
    CS_ASSIGN_OR_RETURN(RateTake take, store_.Take(key, window_start, limit, slice));
    e.local = take.granted;
    e.taken = take.taken;
    e.exhausted = take.granted == 0;
  }
  if (e.local == 0) {
    d.allowed = false;
    d.remaining = 0;
    d.retry_after = std::max<int64_t>(1, d.reset_at - now);
    return d;
  }
  --e.local;
  d.remaining = std::max<int64_t>(0, limit - e.taken + e.local);
  return d;
}

}  // namespace countersign
