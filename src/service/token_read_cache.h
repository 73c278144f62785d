// TokenReadCache: what OAuthStore::FindTokenWithAccount read for a token, kept while the
// database's CommitWatch shows no commit since, so the next Bearer request with that token needs
// no query. Exact, not eventual: an entry is served only while no write transaction of any
// connection or process became visible since before the read that filled it, so a revoked
// token or grant, a locked, changed or deleted account is seen by the very next request as a
// query would see it. What depends on the time (the token's expiry) is checked by the caller on
// every use, as after a query.
//
// Bounded: at most `capacity` entries (a shard that fills is emptied), each trusted for at most
// `max_age_seconds` (CommitWatch's commit counter cannot wrap within that).
//
// Thread-safe: entries are spread over shards, each behind its own mutex.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "store/commit_watch.h"
#include "store/oauth_store.h"

namespace countersign {

class TokenReadCache {
 public:
  struct Options {
    size_t capacity = 4096;
    int64_t max_age_seconds = 30;
  };
  // How often Find answered from the cache, how often it read, and the entries held. A value
  // type.
  struct Stats {
    uint64_t hits = 0;
    uint64_t reads = 0;
    size_t entries = 0;
  };
  using Read = std::function<StatusOr<TokenWithAccount>()>;

  // `watch` and `clock` must outlive the cache.
  TokenReadCache(const CommitWatch& watch, const Clock& clock, Options options);

  // The row of `token_hash`: from the cache when exact (see above), otherwise `read()`, whose OK
  // result is kept (errors, kNotFound included, are not) and returned.
  StatusOr<TokenWithAccount> Find(const std::string& token_hash, const Read& read);

  Stats stats() const;

 private:
  struct Entry {
    std::shared_ptr<const TokenWithAccount> row;  // copied out after the lock is let go
    CommitStamp stamp;                            // before the read began
    int64_t read_at = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;  // guarded by mu
    uint64_t hits = 0;                               // guarded by mu
    uint64_t reads = 0;                              // guarded by mu
  };
  static constexpr size_t kShards = 16;

  Shard& ShardOf(const std::string& token_hash);

  const CommitWatch& watch_;
  const Clock& clock_;
  const Options options_;
  std::array<Shard, kShards> shards_;
};

}  // namespace countersign
