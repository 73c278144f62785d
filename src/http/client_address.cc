#include "http/client_address.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

#include "http/message.h"

namespace countersign::http {

namespace {

struct Address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
};

// `text` as an address; an IPv4-mapped IPv6 address becomes its IPv4 address.
std::optional<Address> ParseAddress(std::string_view text) {
  const std::string s(text);
  Address a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.bytes.data(), kMapped, sizeof kMapped) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::memset(a.bytes.data() + 4, 0, 12);
    return a;
  }
  a.v6 = true;
  return a;
}

}  // namespace

StatusOr<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view entry = TrimSpaces(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry.empty()) continue;
    const size_t slash = entry.find('/');
    std::optional<Address> address = ParseAddress(entry.substr(0, slash));
    const auto invalid = [&] {
      return InvalidArgument("Not an IP address or CIDR range: \"" + std::string(entry) + "\"",
                             "trusted-proxies");
    };
    if (!address) return invalid();
    Range range;
    range.v6 = address->v6;
    range.bytes = address->bytes;
    const int bits = address->v6 ? 128 : 32;
    range.prefix = bits;
    if (slash != std::string_view::npos) {
      const std::string_view digits = entry.substr(slash + 1);
      if (digits.empty() || digits.size() > 3) return invalid();
      int prefix = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return invalid();
        prefix = prefix * 10 + (c - '0');
      }
      if (prefix > bits) return invalid();
      range.prefix = prefix;
    }
    out.ranges_.push_back(range);
  }
  return out;
}

bool TrustedProxies::Contains(std::string_view ip) const {
  const std::optional<Address> a = ParseAddress(TrimSpaces(ip));
  if (!a) return false;
  for (const Range& r : ranges_) {
    if (r.v6 != a->v6) continue;
    const int whole = r.prefix / 8;
    const int rest = r.prefix % 8;
    if (std::memcmp(r.bytes.data(), a->bytes.data(), static_cast<size_t>(whole)) != 0) continue;
    if (rest != 0) {
      const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((r.bytes[whole] & mask) != (a->bytes[whole] & mask)) continue;
    }
    return true;
  }
  return false;
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted) {
  std::string_view client = peer;
  if (trusted.empty() || !trusted.Contains(peer)) return std::string(client);
  // Right to left: each trusted hop vouches for the entry to its left.
  while (true) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view entry = TrimSpaces(
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    if (entry.empty() && comma == std::string_view::npos) break;  // nothing (more) listed
    if (!entry.empty()) {
      if (!ParseAddress(entry)) break;  // not an address: stop at the hop that passed it
      client = entry;
      if (!trusted.Contains(entry)) break;
    }
    if (comma == std::string_view::npos) break;
    forwarded_for = forwarded_for.substr(0, comma);
  }
  return std::string(client);
}

}  // namespace countersign::http
