// Identifier formats. Ids are random, so they reveal neither counts nor creation order.
// Thread-safe.
#pragma once

#include <string>

namespace countersign {

// 40 hex characters, like Dropbox Sign account ids.
std::string NewAccountId();
// 32 hex characters, like Dropbox Sign client ids.
std::string NewClientId();
// 32 hex characters for internal rows (grants).
std::string NewInternalId();
// A bearer secret: 256 random bits as 64 hex characters (API keys, tokens, secrets, codes).
std::string NewSecret();
// 16 hex characters naming one HTTP exchange (X-Request-Id, log lines). Unique in practice but
// not a secret (a client may send its own): drawn from a per-thread sequence that starts at a
// random point, so minting one makes no system call, unlike the functions above.
std::string NewRequestId();

}  // namespace countersign
