#include "core/crypto.h"

#include <sodium.h>

#include <string>

#include "core/sha256_stream.h"

namespace countersign {

std::string LowerHex(const unsigned char* data, size_t len) {
  std::string out(len * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, len);
  out.resize(len * 2);
  return out;
}

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return Status::Ok();
}

std::string RandomHex(size_t bytes) {
  std::string buf(bytes, '\0');
  randombytes_buf(buf.data(), buf.size());
  return LowerHex(reinterpret_cast<const unsigned char*>(buf.data()), buf.size());
}

std::string BufferedRandomHex(size_t bytes) {
  // Refilled 512 bytes at a time: one system call per 64 request ids instead of one each.
  struct Buffer {
    unsigned char bytes[512];
    size_t used = sizeof bytes;
  };
  thread_local Buffer buffer;
  if (bytes > 64) return RandomHex(bytes);
  if (buffer.used + bytes > sizeof buffer.bytes) {
    randombytes_buf(buffer.bytes, sizeof buffer.bytes);
    buffer.used = 0;
  }
  std::string out = LowerHex(buffer.bytes + buffer.used, bytes);
  sodium_memzero(buffer.bytes + buffer.used, bytes);
  buffer.used += bytes;
  return out;
}

std::string Sha256Hex(std::string_view data) {
  thread_local Sha256Stream sha256;
  sha256.Update(data);
  return sha256.HexDigest();
}

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&st, out);
  return LowerHex(out, sizeof out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

StatusOr<std::string> HashPassword(std::string_view password, bool fast) {
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops = fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("out of memory while hashing the password");
  }
  return std::string(out);
}

StatusOr<std::string> HashPin(std::string_view pin) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), kPinHashOps, kPinHashMemBytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("out of memory while hashing the PIN");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace countersign
