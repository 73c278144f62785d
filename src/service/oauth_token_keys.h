// OAuth access and refresh tokens as issued, and the key the store keeps each one under.
//
// A token is 80 lowercase hex digits: 16 that give its place in issue order (the microsecond it
// was minted), then 64 random (256 bits from the OS CSPRNG). Its key is those 16 digits
// followed by the hex SHA-256 of the whole token: as hard to turn back into the token as a
// plain hash, and keys minted one after another sort one after another, so storing them
// appends to the end of the key index instead of dirtying a random page of it per token (a
// refresh rotation writes about a quarter of the WAL bytes with migration 0019:
// bench/RESULTS.md). The order digits say when a token was minted, which its holder knows.
//
// Tokens of the format before (64 hex digits) are kept under their plain SHA-256, and
// OAuthTokenKey finds them too. Versions before this format know only those, so a database
// they served gets the new format an hour after this version first starts on it
// (OrderedTokensFrom): a rolling upgrade's old instances, or a rollback, then never meet it.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "store/settings_store.h"

namespace countersign {

// The key a presented token is stored under (any string: one that is not a token of either
// format gets a key no token has).
std::string OAuthTokenKey(std::string_view token);

// Mints tokens: of the format before until the clock reaches `ordered_from` (seconds), then in
// issue order, whose digits grow strictly within this object (the clock's microsecond, or one
// more than the last token's when two are minted within one). Instances on one database each
// count on their own; their tokens interleave near the index's end. Thread-safe.
class OAuthTokenMinter {
 public:
  OAuthTokenMinter(const Clock& clock, int64_t ordered_from)
      : clock_(clock), ordered_from_(ordered_from) {}

  std::string Mint();

 private:
  const Clock& clock_;
  const int64_t ordered_from_;
  std::atomic<uint64_t> last_{0};
};

// How long a database that an older version served waits for ordered tokens.
inline constexpr int64_t kOrderedTokensDelaySeconds = 3600;

// When this server may mint ordered tokens (seconds), the same for every instance: read from
// the settings, or stored there at this version's first start — at once on a new database
// (one that has no seal identity yet, which every version creates at its first start), else
// kOrderedTokensDelaySeconds later.
StatusOr<int64_t> OrderedTokensFrom(SettingsStore& settings, const Clock& clock);

}  // namespace countersign
