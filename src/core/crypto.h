// Cryptographic primitives on libsodium: random secrets, SHA-256 digests, HMAC, password
// hashing (argon2id) and constant-time comparison. Call InitCrypto() once at start-up
// (it is idempotent); every function is thread-safe afterwards.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign {

// Initialises libsodium. Returns an error if the library cannot be initialised.
Status InitCrypto();

// `bytes` random bytes from the OS CSPRNG, lowercase hex encoded (2*bytes characters).
std::string RandomHex(size_t bytes);

// Lowercase hex SHA-256 of `data`. Used as the stored form of every bearer secret
// (API keys, client secrets, codes, tokens, session ids): the secrets are >=128-bit random
// values, so a fast unsalted hash is the right tool.
std::string Sha256Hex(std::string_view data);

// Lowercase hex HMAC-SHA256(key, message).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Constant-time equality of two strings (length may leak, contents do not).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Argon2id password hash in the libsodium/PHC string format.
// `fast` selects the minimum cost parameters (only for tests).
StatusOr<std::string> HashPassword(std::string_view password, bool fast = false);

// True when `password` matches `hash` (a string produced by HashPassword).
bool VerifyPassword(std::string_view password, const std::string& hash);

}  // namespace countersign
