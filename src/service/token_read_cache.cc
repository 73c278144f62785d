#include "service/token_read_cache.h"

#include <utility>

namespace countersign {

TokenReadCache::TokenReadCache(const CommitWatch& watch, const Clock& clock, Options options)
    : watch_(watch), clock_(clock), options_(options) {}

TokenReadCache::Shard& TokenReadCache::ShardOf(const std::string& token_hash) {
  return shards_[std::hash<std::string>{}(token_hash) % kShards];
}

StatusOr<TokenWithAccount> TokenReadCache::Find(const std::string& token_hash, const Read& read) {
  // Taken before the read: a commit that the read may have seen changes the stamp after this,
  // so an entry tagged with it is never served.
  const std::optional<CommitStamp> stamp = watch_.Current();
  const int64_t now = clock_.NowSeconds();
  Shard& shard = ShardOf(token_hash);
  if (stamp) {
    std::shared_ptr<const TokenWithAccount> hit;
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      auto it = shard.entries.find(token_hash);
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
    if (hit) return TokenWithAccount(*hit);
  }
  StatusOr<TokenWithAccount> row = read();
  std::shared_ptr<const TokenWithAccount> kept;
  if (stamp && row.ok()) kept = std::make_shared<const TokenWithAccount>(*row);
  std::lock_guard<std::mutex> lock(shard.mu);
  ++shard.reads;
  if (kept) {
    if (shard.entries.size() > options_.capacity / kShards) shard.entries.clear();
    shard.entries.insert_or_assign(token_hash, Entry{std::move(kept), *stamp, now});
  }
  return row;
}

TokenReadCache::Stats TokenReadCache::stats() const {
  Stats total;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    total.hits += shard.hits;
    total.reads += shard.reads;
    total.entries += shard.entries.size();
  }
  return total;
}

}  // namespace countersign
