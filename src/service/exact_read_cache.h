// ExactReadCache<Row>: what a read of the database returned for a key, kept while the
// database's CommitWatch shows no commit since, so the next request for that key needs no query.
// Exact, not eventual: an entry is served only while no write transaction of any connection or
// process became visible since before the read that filled it, so whatever changed the row (a
// revoked token, a locked, changed or deleted account, a new API key) is seen by the very next
// request as a query would see it. What depends on the time (a token's expiry) is for the
// caller to check on every use, as after a query. Used for the reads that authenticate every
// API request: a Bearer token's row (OAuthService) and an API key's account (AccountService).
//
// Bounded: at most `capacity` entries (a shard that fills is emptied), each trusted for
// at most `max_age_seconds` (CommitWatch's commit counter cannot wrap within that).
//
// Thread-safe: entries are spread over shards, each behind its own mutex. Row must be copyable.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "store/commit_watch.h"

namespace countersign {

// The counters of an ExactReadCache. A value type.
struct ReadCacheStats {
  uint64_t hits = 0;   // answered from the cache
  uint64_t reads = 0;  // answered by a read
  size_t entries = 0;  // held now
};

template <typename Row>
class ExactReadCache {
 public:
  struct Options {
    size_t capacity = 4096;
    int64_t max_age_seconds = 30;
  };
  using Read = std::function<StatusOr<Row>()>;

  // `watch` and `clock` must outlive the cache.
  ExactReadCache(const CommitWatch& watch, const Clock& clock, Options options)
      : watch_(watch), clock_(clock), options_(options) {}

  // The row of `key`: from the cache when exact (see above), otherwise `read()`, whose OK result
  // is kept (errors, kNotFound included, are not) and returned.
  StatusOr<Row> Find(const std::string& key, const Read& read) {
    // Taken before the read: a commit that the read may have seen changes the stamp after this,
    // so an entry tagged with it is never served.
    const std::optional<CommitStamp> stamp = watch_.Current();
    const int64_t now = clock_.NowSeconds();
    Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
    if (stamp) {
      std::shared_ptr<const Row> hit;
      {
        std::lock_guard<std::mutex> lock(shard.mu);
        auto it = shard.entries.find(key);
        if (it != shard.entries.end()) {
          const Entry& entry = it->second;
          const int64_t age = now - entry.read_at;  // negative when the clock went back
          if (entry.stamp == *stamp && age >= 0 && age < options_.max_age_seconds) {
            ++shard.hits;
            hit = entry.row;
          } else {
            shard.entries.erase(it);
          }
        }
      }
      if (hit) return Row(*hit);  // copied outside the lock
    }
    StatusOr<Row> row = read();
    std::shared_ptr<const Row> kept;
    if (stamp && row.ok()) kept = std::make_shared<const Row>(*row);
    std::lock_guard<std::mutex> lock(shard.mu);
    ++shard.reads;
    if (kept) {
      if (shard.entries.size() >= options_.capacity / kShards && !shard.entries.contains(key)) {
        shard.entries.clear();
      }
      shard.entries.insert_or_assign(key, Entry{std::move(kept), *stamp, now});
    }
    return row;
  }

  ReadCacheStats stats() const {
    ReadCacheStats total;
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mu);
      total.hits += shard.hits;
      total.reads += shard.reads;
      total.entries += shard.entries.size();
    }
    return total;
  }

 private:
  struct Entry {
    std::shared_ptr<const Row> row;
    CommitStamp stamp;  // taken before the read began
    int64_t read_at = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;  // guarded by mu
    uint64_t hits = 0;                               // guarded by mu
    uint64_t reads = 0;                              // guarded by mu
  };
  static constexpr size_t kShards = 16;

  const CommitWatch& watch_;
  const Clock& clock_;
  const Options options_;
  std::array<Shard, kShards> shards_;
};

}  // namespace countersign
