#include "service/pkce.h"

#include <sodium.h>

#include <string_view>

#include "core/crypto.h"

namespace countersign {
namespace {

constexpr size_t kS256ChallengeLength = 43;  // base64url of 32 bytes, no padding

bool IsBase64Url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// RFC 7636 §4.1: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~", 43 to 128 of them.
bool IsWellFormedVerifier(std::string_view v) {
  if (v.size() < 43 || v.size() > 128) return false;
  for (char c : v) {
    if (!IsBase64Url(c) && c != '.' && c != '~') return false;
  }
  return true;
}

std::string S256(std::string_view verifier) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  char encoded[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
                                         sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

}  // namespace

Status ValidateCodeChallenge(const std::string& challenge, const std::string& method) {
  if (challenge.empty()) {
    if (method.empty()) return Status::Ok();
    return InvalidArgument("code_challenge_method was sent without a code_challenge.",
                           "code_challenge");
  }
  if (method != "S256") {
    return InvalidArgument(
        "Unsupported code_challenge_method: only S256 is supported (a missing method means "
        "\"plain\", which is refused).",
        "code_challenge_method");
  }
  if (challenge.size() != kS256ChallengeLength) {
    return InvalidArgument(
        "The code_challenge must be the 43-character base64url SHA-256 of the code_verifier.",
        "code_challenge");
  }
  for (char c : challenge) {
    if (!IsBase64Url(c)) {
      return InvalidArgument("The code_challenge must be base64url without padding.",
                             "code_challenge");
    }
  }
  return Status::Ok();
}

bool VerifierMatches(const std::string& verifier, const std::string& challenge) {
  if (!IsWellFormedVerifier(verifier) || challenge.empty()) return false;
  return ConstantTimeEquals(S256(verifier), challenge);
}

}  // namespace countersign
