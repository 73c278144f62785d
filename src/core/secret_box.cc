#include "core/secret_box.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/crypto.h"

namespace countersign {

namespace {

StatusOr<std::string> FromHexString(const std::string& hex, size_t bytes) {
  std::string out(bytes, '\0');
  size_t len = 0;
  if (hex.size() != bytes * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, nullptr) != 0 ||
      len != bytes) {
    return Internal("malformed hex value");
  }
  return out;
}

std::string ToHex(const std::string& raw) {
  std::string out(raw.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  out.resize(raw.size() * 2);
  return out;
}

}  // namespace

StatusOr<SecretBox> SecretBox::FromHex(const std::string& key_hex) {
  CS_RETURN_IF_ERROR(InitCrypto());
  CS_ASSIGN_OR_RETURN(std::string key, FromHexString(key_hex, crypto_secretbox_KEYBYTES));
  return SecretBox(std::move(key));
}

StatusOr<SecretBox> SecretBox::OpenKeyFile(const std::string& path) {
  CS_RETURN_IF_ERROR(InitCrypto());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {  // first start: write a new key
    std::string hex = RandomHex(crypto_secretbox_KEYBYTES) + "\n";
    bool ok =
        ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Internal("cannot write the key file " + path);
  }
  std::ifstream in(path);
  if (!in) return Internal("cannot read the key file " + path);
  std::string hex;
  in >> hex;
  auto box = FromHex(hex);
  if (!box.ok()) return Internal("the key file " + path + " does not hold a 64-hex-digit key");
  return box;
}

std::string SecretBox::Seal(const std::string& plaintext) const {
  std::string nonce(crypto_secretbox_NONCEBYTES, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  std::string cipher(plaintext.size() + crypto_secretbox_MACBYTES, '\0');
  crypto_secretbox_easy(reinterpret_cast<unsigned char*>(cipher.data()),
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        reinterpret_cast<const unsigned char*>(nonce.data()),
                        reinterpret_cast<const unsigned char*>(key_.data()));
  return ToHex(nonce + cipher);
}

StatusOr<std::string> SecretBox::Open(const std::string& sealed) const {
  const size_t min = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (sealed.size() < min * 2 || sealed.size() % 2 != 0) return Internal("sealed value too short");
  CS_ASSIGN_OR_RETURN(std::string raw, FromHexString(sealed, sealed.size() / 2));
  std::string plain(raw.size() - min, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()),
          reinterpret_cast<const unsigned char*>(raw.data()) + crypto_secretbox_NONCEBYTES,
          raw.size() - crypto_secretbox_NONCEBYTES,
          reinterpret_cast<const unsigned char*>(raw.data()),
          reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return Internal("sealed value does not open with this key");
  }
  return plain;
}

}  // namespace countersign
