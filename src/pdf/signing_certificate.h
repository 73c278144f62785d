// SigningIdentity: the server's document-seal certificate and private key, used to sign every
// completed document (CMS SignedData, SHA-256). An identity is created once (self-signed, at
// first start) or supplied by the operator as a PEM pair; its PEM form is what the caller stores
// in the database so that every instance seals with the same certificate.
// Thread-safety: a SigningIdentity is immutable; copies share the parsed OpenSSL objects and
// SignDetached may be called concurrently from any number of threads.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct stack_st_X509;  // STACK_OF(X509), declared by <openssl/x509.h>

namespace countersign {

class SigningIdentity {
 public:
  // The certificate (one "CERTIFICATE" block) and the unencrypted PKCS#8 private key, in PEM.
  const std::string& certificate_pem() const { return certificate_pem_; }
  const std::string& private_key_pem() const { return private_key_pem_; }
  // The certificate subject in reading order, e.g. "CN=Countersign document seal, O=Acme".
  const std::string& subject() const { return subject_; }

  // DER-encoded detached CMS SignedData over `data`: SHA-256, the certificate included, signed
  // attributes content-type, message-digest, signing-time = `signing_time` (unix seconds) and
  // ESS signing-certificate-v2 (as CAdES / PAdES baseline wants). kInternal on OpenSSL failure.
  StatusOr<std::string> SignDetached(std::string_view data, int64_t signing_time) const;

 private:
  friend StatusOr<SigningIdentity> LoadSigningIdentity(const std::string& certificate_pem,
                                                       const std::string& private_key_pem);
  SigningIdentity() = default;

  std::shared_ptr<X509> certificate_;
  std::shared_ptr<::stack_st_X509> chain_;  // certificates after the first in the PEM
  std::shared_ptr<EVP_PKEY> private_key_;
  std::string certificate_pem_;
  std::string private_key_pem_;
  std::string subject_;
};

// Creates a new EC P-256 key and a self-signed certificate for it: subject and issuer
// "CN=Countersign document seal, O=<organization>" (no O when `organization` is empty), valid
// from `now` (unix seconds) for 10 years, random 128-bit serial, key usage digitalSignature and
// nonRepudiation. kInvalidArgument when `organization` is longer than 64 characters or not
// UTF-8; kInternal on OpenSSL failure.
StatusOr<SigningIdentity> CreateSigningIdentity(const std::string& organization, int64_t now);

// Parses an operator-supplied (or stored) certificate and private key, both PEM. The key must
// be unencrypted, RSA (>= 2048 bits) or EC, and match the first certificate; further
// certificates in `certificate_pem` (the issuing chain) are embedded in every signature so that
// readers can build the path to the operator's CA. kInvalidArgument naming the problem
// otherwise.
StatusOr<SigningIdentity> LoadSigningIdentity(const std::string& certificate_pem,
                                              const std::string& private_key_pem);

}  // namespace countersign
