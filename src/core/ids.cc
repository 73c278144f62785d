#include "core/ids.h"

#include <cstdint>

#include "core/crypto.h"

namespace countersign {

std::string NewAccountId() { return RandomHex(20); }
std::string NewClientId() { return RandomHex(16); }
std::string NewInternalId() { return RandomHex(16); }
std::string NewSecret() { return RandomHex(32); }

std::string NewRequestId() {
  // SplitMix64 of a per-thread counter: a bijection, so one thread repeats no id for 2^64
  // calls, and two threads' sequences (random starts) meet only by chance.
  thread_local uint64_t counter = RandomU64();
  uint64_t z = (counter += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  z ^= z >> 31;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) id[i] = kHex[z & 15];
  return id;
}

}  // namespace countersign
