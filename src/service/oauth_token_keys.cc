#include "service/oauth_token_keys.h"

#include <cstdio>

#include "core/crypto.h"

namespace countersign {
namespace {

constexpr size_t kOrderDigits = 16;
constexpr size_t kRandomBytes = 32;
constexpr size_t kTokenLength = kOrderDigits + 2 * kRandomBytes;

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string OAuthTokenKey(std::string_view token) {
  if (token.size() != kTokenLength || !IsLowerHex(token)) return Sha256Hex(token);
  std::string key(token.substr(0, kOrderDigits));
  key += Sha256Hex(token);
  return key;
}

std::string OAuthTokenMinter::Mint() {
  const uint64_t from_clock = static_cast<uint64_t>(clock_.NowSeconds()) << 20;
  uint64_t last = last_.load(std::memory_order_relaxed);
  uint64_t order = 0;
  do {
    order = from_clock > last ? from_clock : last + 1;
  } while (!last_.compare_exchange_weak(last, order, std::memory_order_relaxed));
  char digits[kOrderDigits + 1];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(order));
  return std::string(digits, kOrderDigits) + RandomHex(kRandomBytes);
}

}  // namespace countersign
