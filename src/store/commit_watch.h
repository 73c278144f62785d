// CommitWatch: tells, without a query, whether anything was committed to the database between
// two moments, by this process or by any other. What a cache of reads needs to serve a value
// exactly as a fresh read would: a value read after Current() returned S is still what the
// database holds while Current() keeps returning S.
//
// Thread-safe; Current() is cheap (a few loads of shared memory, no lock, no system call).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace countersign {

// What one backend's watch reads at one moment; only comparable with stamps of the same watch.
// A value type.
struct CommitStamp {
  std::array<uint32_t, 12> words{};
  friend bool operator==(const CommitStamp&, const CommitStamp&) = default;
};

class CommitWatch {
 public:
  virtual ~CommitWatch() = default;

  // The stamp now; nullopt when it cannot be told at this moment (a commit is being made
  // visible), so nothing may be served from or put into a cache.
  // Contract: if Current() returned S at t1 and returns S at t2 > t1, no write transaction became
  // visible to readers between t1 and t2, so a read that started after t1 read what a read at t2
  // would. The stamp counts commits in 32 bits, so a cache must also bound how long it trusts
  // an entry (2^32 commits cannot happen within that bound).
  virtual std::optional<CommitStamp> Current() const = 0;
};

}  // namespace countersign
