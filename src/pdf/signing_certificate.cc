#include "pdf/signing_certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <climits>
#include <utility>

#include "pdf/openssl_handles.h"

namespace countersign {

namespace {

constexpr char kCommonName[] = "Countersign document seal";
constexpr int kValidityDays = 3653;  // 10 years including leap days

// The bytes written so far into a memory BIO.
std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

// Refuses to prompt for a passphrase: encrypted keys simply fail to load.
int NoPassphrase(char*, int, int, void*) { return -1; }

// "CN=..., O=..." in certificate order, values as UTF-8.
std::string OneLineName(const X509_NAME* name) {
  std::string out;
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
    if (len < 0) continue;
    if (!out.empty()) out += ", ";
    const char* short_name = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
    out += short_name != nullptr ? short_name : "?";
    out += '=';
    out.append(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  return out;
}

Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) {
    return Internal("Cannot add certificate extension: " + OpenSslError());
  }
  return Status::Ok();
}

// A self-signed certificate for `key` as described at CreateSigningIdentity.
StatusOr<X509Ptr> MakeCertificate(EVP_PKEY* key, const std::string& organization, int64_t now) {
  X509Ptr cert(X509_new());
  if (cert == nullptr || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return Internal("Cannot create certificate: " + OpenSslError());
  }
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return Internal("No randomness: " + OpenSslError());
  serial[0] &= 0x7f;  // positive
  serial[0] |= 0x40;  // and without leading zero bytes
  BignumPtr serial_bn(BN_bin2bn(serial, sizeof(serial), nullptr));
  if (serial_bn == nullptr ||
      BN_to_ASN1_INTEGER(serial_bn.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return Internal("Cannot set serial number: " + OpenSslError());
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto add_entry = [name](const char* field, const std::string& value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
  };
  if (!add_entry("CN", kCommonName)) return Internal("Cannot set subject: " + OpenSslError());
  if (!organization.empty() && !add_entry("O", organization)) {
    ERR_clear_error();
    return InvalidArgument("The organization must be UTF-8 text of at most 64 characters.");
  }
  if (X509_set_issuer_name(cert.get(), name) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(now)) == nullptr ||
      ASN1_TIME_adj(X509_getm_notAfter(cert.get()), static_cast<time_t>(now), kValidityDays, 0) ==
          nullptr ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return Internal("Cannot fill certificate: " + OpenSslError());
  }
  CS_RETURN_IF_ERROR(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  CS_RETURN_IF_ERROR(
      AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,nonRepudiation"));
  CS_RETURN_IF_ERROR(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key, EVP_sha256()) <= 0) {
    return Internal("Cannot sign certificate: " + OpenSslError());
  }
  return cert;
}

}  // namespace

StatusOr<SigningIdentity> CreateSigningIdentity(const std::string& organization, int64_t now) {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (key == nullptr) return Internal("Cannot generate key: " + OpenSslError());
  CS_ASSIGN_OR_RETURN(X509Ptr cert, MakeCertificate(key.get(), organization, now));
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (cert_bio == nullptr || key_bio == nullptr ||
      PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1) {
    return Internal("Cannot serialise signing identity: " + OpenSslError());
  }
  return LoadSigningIdentity(BioContents(cert_bio.get()), BioContents(key_bio.get()));
}

StatusOr<SigningIdentity> LoadSigningIdentity(const std::string& certificate_pem,
                                              const std::string& private_key_pem) {
  if (certificate_pem.size() > INT_MAX || private_key_pem.size() > INT_MAX) {
    return InvalidArgument("The signing certificate or key is too large.");
  }
  BioPtr cert_bio(
      BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  BioPtr key_bio(BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())));
  if (cert_bio == nullptr || key_bio == nullptr)
    return Internal("Out of memory: " + OpenSslError());
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr));
  if (cert == nullptr) {
    ERR_clear_error();
    return InvalidArgument("The signing certificate is not a PEM X.509 certificate.");
  }
  std::shared_ptr<STACK_OF(X509)> chain(sk_X509_new_null(),
                                        [](STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); });
  if (chain == nullptr) return Internal("Out of memory: " + OpenSslError());
  while (X509* extra = PEM_read_bio_X509(cert_bio.get(), nullptr, NoPassphrase, nullptr)) {
    if (sk_X509_push(chain.get(), extra) <= 0) {
      X509_free(extra);
      return Internal("Out of memory: " + OpenSslError());
    }
  }
  ERR_clear_error();  // the end of the PEM data is reported as an error
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassphrase, nullptr));
  if (key == nullptr) {
    ERR_clear_error();
    return InvalidArgument("The signing key is not an unencrypted PEM private key.");
  }
  int type = EVP_PKEY_get_base_id(key.get());
  if (type != EVP_PKEY_EC && type != EVP_PKEY_RSA) {
    return InvalidArgument("The signing key must be an RSA or EC key.");
  }
  if (type == EVP_PKEY_RSA && EVP_PKEY_get_bits(key.get()) < 2048) {
    return InvalidArgument("The signing RSA key must have at least 2048 bits.");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return InvalidArgument("The signing key does not match the signing certificate.");
  }
  SigningIdentity identity;
  identity.subject_ = OneLineName(X509_get_subject_name(cert.get()));
  identity.certificate_ = std::shared_ptr<X509>(cert.release(), X509_free);
  identity.private_key_ = std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free);
  identity.chain_ = std::move(chain);
  identity.certificate_pem_ = certificate_pem;
  identity.private_key_pem_ = private_key_pem;
  return identity;
}

StatusOr<std::string> SigningIdentity::SignDetached(std::string_view data,
                                                    int64_t signing_time) const {
  if (data.size() > INT_MAX) return Internal("Document too large to sign.");
  BioPtr in(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  constexpr unsigned int kFlags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  CmsPtr cms(CMS_sign(nullptr, nullptr, chain_.get(), nullptr, kFlags));
  if (in == nullptr || cms == nullptr) return Internal("Cannot start CMS: " + OpenSslError());
  CMS_SignerInfo* signer = CMS_add1_signer(cms.get(), certificate_.get(), private_key_.get(),
                                           EVP_sha256(), kFlags | CMS_CADES);
  Asn1TimePtr when(ASN1_TIME_adj(nullptr, static_cast<time_t>(signing_time), 0, 0));
  if (signer == nullptr || when == nullptr ||
      CMS_signed_add1_attr_by_NID(signer, NID_pkcs9_signingTime, when->type, when.get(), -1) != 1 ||
      CMS_final(cms.get(), in.get(), nullptr, CMS_DETACHED | CMS_BINARY) != 1) {
    return Internal("Cannot sign document: " + OpenSslError());
  }
  int size = i2d_CMS_ContentInfo(cms.get(), nullptr);
  if (size <= 0) return Internal("Cannot encode signature: " + OpenSslError());
  std::string der(static_cast<size_t>(size), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_CMS_ContentInfo(cms.get(), &out) != size) {
    return Internal("Cannot encode signature: " + OpenSslError());
  }
  return der;
}

}  // namespace countersign
