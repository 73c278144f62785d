#include "core/sha256_stream.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "core/crypto.h"

namespace countersign {

struct Sha256Stream::Ctx {
  EVP_MD* algorithm = nullptr;
  EVP_MD_CTX* md = nullptr;
  ~Ctx() {
    EVP_MD_CTX_free(md);
    EVP_MD_free(algorithm);
  }
};

Sha256Stream::Sha256Stream() : ctx_(std::make_unique<Ctx>()) {
  ctx_->algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ctx_->md = EVP_MD_CTX_new();
  if (ctx_->algorithm == nullptr || ctx_->md == nullptr ||
      EVP_DigestInit_ex(ctx_->md, ctx_->algorithm, nullptr) != 1) {
    std::abort();  // no SHA-256 in libcrypto: the installation is broken
  }
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::Update(std::string_view bytes) {
  if (!bytes.empty() && EVP_DigestUpdate(ctx_->md, bytes.data(), bytes.size()) != 1) {
    std::abort();
  }
}

std::string Sha256Stream::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_->md, digest, &len) != 1 ||
      EVP_DigestInit_ex(ctx_->md, ctx_->algorithm, nullptr) != 1) {
    std::abort();
  }
  return LowerHex(digest, len);
}

}  // namespace countersign
