// OAuth access and refresh tokens as issued, and the key the store keeps each one under.
//
// A token is 80 lowercase hex digits: 16 that give its place in issue order, then 64 random
// (256 bits from the OS CSPRNG). Its key is those 16 digits followed by the hex SHA-256 of the
// whole token: as hard to turn back into the token as a plain hash, and keys minted one after
// another sort one after another, so storing them appends to the end of the key index instead
// of dirtying a random page of it per token (a refresh rotation writes about half the WAL
// bytes: bench/RESULTS.md). The order digits say when a token was minted, which its holder
// knows anyway; nothing secret rests on them.
//
// Tokens minted before this format (64 hex digits) are kept under their plain SHA-256, and
// OAuthTokenKey still finds them.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace countersign {

// The key a presented token is stored under (any string: one that is not a token of either
// format gets a key no token has).
std::string OAuthTokenKey(std::string_view token);

// Mints tokens whose order digits grow strictly within this object: the clock's second times
// 2^20, or one more than the last token's when that is larger (so a burst of over a million
// tokens a second only runs ahead of the clock). Instances on one database each count on their
// own; their tokens interleave near the index's end. Thread-safe.
class OAuthTokenMinter {
 public:
  explicit OAuthTokenMinter(const Clock& clock) : clock_(clock) {}

  std::string Mint();

 private:
  const Clock& clock_;
  std::atomic<uint64_t> last_{0};
};

}  // namespace countersign
