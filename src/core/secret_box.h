// SecretBox: authenticated encryption (libsodium crypto_secretbox, XSalsa20-Poly1305) of small
// secrets that the server must be able to read back, such as API keys, which sign event
// callbacks (Dropbox Sign's event_hash is an HMAC keyed with the API key). The key lives
// outside the database (a file in the data folder), so a database dump alone reveals no
// secret. Immutable after construction; thread-safe.
#pragma once

#include <string>

#include "core/status.h"

namespace countersign {

class SecretBox {
 public:
  // Loads the 32-byte key (64 hex characters) from `path`, creating it with a fresh random
  // key (mode 0600) when the file does not exist. kInternal on I/O errors or a malformed file.
  static StatusOr<SecretBox> OpenKeyFile(const std::string& path);
  // From a 64-hex-character key (tests).
  static StatusOr<SecretBox> FromHex(const std::string& key_hex);

  // Hex of nonce || ciphertext.
  std::string Seal(const std::string& plaintext) const;
  // kInternal when `sealed` was not produced by this key or was altered.
  StatusOr<std::string> Open(const std::string& sealed) const;

 private:
  explicit SecretBox(std::string key) : key_(std::move(key)) {}
  std::string key_;  // 32 raw bytes
};

}  // namespace countersign
