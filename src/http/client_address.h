// The address a request came from when reverse proxies stand in front of the server. Each
// proxy appends the address it received the request from to X-Forwarded-For, so reading the
// header from the right, the first address that is not one of our trusted proxies is the
// client's; everything left of it was written by the client and proves nothing. Without
// trusted proxies (the default) the header is ignored and the peer's address is the client's.
// Used for the per-IP log-in limit and the signers' addresses in audit trails.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace countersign::http {

// A set of IP addresses and CIDR ranges, IPv4 and IPv6. An IPv4-mapped IPv6 address
// ("::ffff:10.0.0.1") is the IPv4 address it maps. Immutable after Parse; thread-safe.
class TrustedProxies {
 public:
  // Comma-separated addresses or ranges ("127.0.0.1, 10.0.0.0/8, ::1"); "" for none.
  // kInvalidArgument naming the first entry that is neither.
  static StatusOr<TrustedProxies> Parse(std::string_view list);

  bool empty() const { return ranges_.empty(); }
  // Whether `ip` (text) is in the set; false for text that is not an IP address.
  bool Contains(std::string_view ip) const;

 private:
  struct Range {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};  // IPv4: the first 4
    int prefix = 0;                   // leading bits that must match
  };
  std::vector<Range> ranges_;
};

// The client's address: `peer` (the connection's) unless it is a trusted proxy; then the
// right-most address of `forwarded_for` (the X-Forwarded-For lines joined by ",", "" when
// there were none) that is not a trusted proxy. When every listed address is trusted, the
// left-most; when that walk meets an entry that is not an IP address, the address of the
// trusted hop that passed it on.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted);

}  // namespace countersign::http
