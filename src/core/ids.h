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
// 16 random hex characters naming one HTTP exchange (X-Request-Id, log lines): no secret (a
// client may send its own), so drawn from a per-thread buffer of random bytes
// (BufferedRandomHex) that makes most calls free of system calls.
std::string NewRequestId();

}  // namespace countersign
