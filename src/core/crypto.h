// Cryptographic primitives: random secrets, HMAC, password hashing (argon2id) and constant-time
// comparison on libsodium; SHA-256 digests on OpenSSL (the CPU's SHA instructions). Call
// InitCrypto() once at start-up (it is idempotent); every function is thread-safe afterwards.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign {

// Initialises libsodium. Returns an error if the library cannot be initialised.
Status InitCrypto();

// `bytes` random bytes from the OS CSPRNG, lowercase hex encoded (2*bytes characters).
std::string RandomHex(size_t bytes);
// Like RandomHex for `bytes` ≤ 64, but drawn from a per-thread buffer refilled from the same
// source 512 bytes at a time, so most calls make no system call. For identifiers that must not
// be guessable but are no secrets (request ids): unused random bytes wait in process memory.
std::string BufferedRandomHex(size_t bytes);

// `len` bytes as lowercase hex (2*len characters).
std::string LowerHex(const unsigned char* data, size_t len);

// Lowercase hex SHA-256 of `data`. Used as the stored form of every bearer secret
// (API keys, client secrets, codes, tokens, session ids): the secrets are >=128-bit random
// values, so a fast unsalted hash is the right tool.
std::string Sha256Hex(std::string_view data);

// Whether every character of `text` is a lowercase hex digit, as RandomHex and Sha256Hex write
// them (true for "").
bool IsLowerHex(std::string_view text);

// Lowercase hex HMAC-SHA256(key, message).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Constant-time equality of two strings (length may leak, contents do not).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Argon2id password hash in the libsodium/PHC string format.
// `fast` selects the minimum cost parameters (only for tests).
StatusOr<std::string> HashPassword(std::string_view password, bool fast = false);

// Salted argon2id hash of a signer PIN (the 4-12 character access code of signers[n][pin]),
// in the same PHC string format, at a deliberately small cost: kPinHashOps passes over
// kPinHashMemBytes (about 1 ms on one core here, against ~70 ms for HashPassword), so that a
// send with 100 PIN signers spends ~0.1 s hashing. A PIN is too short for any hash cost to
// protect it in a leaked database; the online guard is the lock after repeated wrong PINs
// (SigningService). Verify with VerifyPassword: the cost is read from the string.
inline constexpr unsigned long long kPinHashOps = 1;
inline constexpr size_t kPinHashMemBytes = size_t{1} << 20;
StatusOr<std::string> HashPin(std::string_view pin);

// True when `password` matches `hash` (a string produced by HashPassword or HashPin).
bool VerifyPassword(std::string_view password, const std::string& hash);

}  // namespace countersign
