#include "service/oauth_token_keys.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>

#include "core/crypto.h"
#include "core/ids.h"

namespace countersign {
namespace {

constexpr size_t kOrderDigits = 16;
constexpr size_t kRandomBytes = 32;
constexpr size_t kTokenLength = kOrderDigits + 2 * kRandomBytes;
constexpr char kOrderedFromSetting[] = "oauth_ordered_tokens_from";

}  // namespace

std::string OAuthTokenKey(std::string_view token) {
  if (token.size() != kTokenLength || !IsLowerHex(token)) return Sha256Hex(token);
  std::string key(token.substr(0, kOrderDigits));
  key += Sha256Hex(token);
  return key;
}

std::string OAuthTokenMinter::Mint() {
  const int64_t micros = clock_.NowMicros();
  if (micros / 1'000'000 < ordered_from_) return NewSecret();  // 64 hex digits
  const uint64_t now = static_cast<uint64_t>(std::max<int64_t>(0, micros));
  uint64_t last = last_.load(std::memory_order_relaxed);
  uint64_t order = 0;
  do {
    order = now > last ? now : last + 1;
  } while (!last_.compare_exchange_weak(last, order, std::memory_order_relaxed));
  char digits[kOrderDigits + 1];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(order));
  return std::string(digits, kOrderDigits) + RandomHex(kRandomBytes);
}

StatusOr<int64_t> OrderedTokensFrom(SettingsStore& settings, const Clock& clock) {
  CS_ASSIGN_OR_RETURN(std::optional<std::string> seal, settings.Get(kSealIdentitySetting));
  const int64_t from = clock.NowSeconds() + (seal ? kOrderedTokensDelaySeconds : 0);
  CS_ASSIGN_OR_RETURN(std::string stored,
                      settings.GetOrCreate(kOrderedFromSetting, std::to_string(from)));
  int64_t value = 0;
  const char* end = stored.data() + stored.size();
  if (auto [at, ec] = std::from_chars(stored.data(), end, value); ec == std::errc() && at == end) {
    return value;
  }
  return Internal(std::string("the stored setting ") + kOrderedFromSetting +
                  " is malformed: " + stored);
}

}  // namespace countersign
