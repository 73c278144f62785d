#include "pdf/signing_certificate.h"

#include <gtest/gtest.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

#include "pdf/openssl_handles.h"

namespace countersign {
namespace {

constexpr int64_t kNow = 1714566896;  // 2024-05-01 12:34:56 UTC

X509Ptr ParseCertificate(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

TEST(SigningCertificateTest, CreatesSelfSignedTenYearCertificate) {
  StatusOr<SigningIdentity> identity = CreateSigningIdentity("Acme \u00c9ditions", kNow);
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->subject(), "CN=Countersign document seal, O=Acme \u00c9ditions");
  EXPECT_EQ(identity->certificate_pem().rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  EXPECT_EQ(identity->private_key_pem().rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);

  X509Ptr cert = ParseCertificate(identity->certificate_pem());
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EvpPkeyPtr public_key(X509_get_pubkey(cert.get()));
  EXPECT_EQ(X509_verify(cert.get(), public_key.get()), 1);
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert.get()),
                           X509_get0_notAfter(cert.get())),
            1);
  EXPECT_GE(days, 3652);
  EXPECT_LE(days, 3653);
  Asn1TimePtr now(ASN1_TIME_set(nullptr, kNow));
  EXPECT_EQ(ASN1_TIME_compare(X509_get0_notBefore(cert.get()), now.get()), 0);
  EXPECT_EQ(EVP_PKEY_get_base_id(public_key.get()), EVP_PKEY_EC);
}

TEST(SigningCertificateTest, OrganizationIsOptionalAndBounded) {
  StatusOr<SigningIdentity> identity = CreateSigningIdentity("", kNow);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->subject(), "CN=Countersign document seal");
  EXPECT_EQ(CreateSigningIdentity(std::string(65, 'x'), kNow).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(CreateSigningIdentity("bad \xff utf-8", kNow).status().code(), Code::kInvalidArgument);
}

TEST(SigningCertificateTest, LoadsWhatItStored) {
  StatusOr<SigningIdentity> created = CreateSigningIdentity("Acme", kNow);
  ASSERT_TRUE(created.ok());
  StatusOr<SigningIdentity> loaded =
      LoadSigningIdentity(created->certificate_pem(), created->private_key_pem());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->subject(), created->subject());
  EXPECT_EQ(loaded->certificate_pem(), created->certificate_pem());
}

TEST(SigningCertificateTest, EmbedsTheChainGivenAfterTheCertificate) {
  StatusOr<SigningIdentity> leaf = CreateSigningIdentity("Leaf", kNow);
  StatusOr<SigningIdentity> ca = CreateSigningIdentity("CA", kNow);
  ASSERT_TRUE(leaf.ok() && ca.ok());
  StatusOr<SigningIdentity> loaded =
      LoadSigningIdentity(leaf->certificate_pem() + ca->certificate_pem(), leaf->private_key_pem());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->subject(), leaf->subject());
  StatusOr<std::string> der = loaded->SignDetached("data", kNow);
  ASSERT_TRUE(der.ok());
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der->size())));
  ASSERT_NE(cms, nullptr);
  STACK_OF(X509)* certs = CMS_get1_certs(cms.get());
  EXPECT_EQ(sk_X509_num(certs), 2);
  sk_X509_pop_free(certs, X509_free);
}

TEST(SigningCertificateTest, RejectsBadPairs) {
  StatusOr<SigningIdentity> a = CreateSigningIdentity("A", kNow);
  StatusOr<SigningIdentity> b = CreateSigningIdentity("B", kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(LoadSigningIdentity(a->certificate_pem(), b->private_key_pem()).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(LoadSigningIdentity("garbage", a->private_key_pem()).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(LoadSigningIdentity(a->certificate_pem(), "garbage").status().code(),
            Code::kInvalidArgument);
  // An RSA key that is too small.
  EvpPkeyPtr small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
  ASSERT_NE(small, nullptr);
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), small.get(), nullptr, nullptr, 0, nullptr, nullptr),
            1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  EXPECT_EQ(LoadSigningIdentity(a->certificate_pem(), std::string(data, len)).status().code(),
            Code::kInvalidArgument);
}

TEST(SigningCertificateTest, SignatureVerifiesOverTheData) {
  StatusOr<SigningIdentity> identity = CreateSigningIdentity("Acme", kNow);
  ASSERT_TRUE(identity.ok());
  std::string data = "%PDF-1.7 some bytes\n";
  StatusOr<std::string> der = identity->SignDetached(data, kNow);
  ASSERT_TRUE(der.ok()) << der.status().ToString();
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der->size())));
  ASSERT_NE(cms, nullptr);
  auto verify = [&](const std::string& content) {
    BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    return CMS_verify(cms.get(), nullptr, nullptr, in.get(), nullptr,
                      CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
  };
  EXPECT_TRUE(verify(data));
  EXPECT_FALSE(verify(data + "x"));
  // The signing time is the one given, not the wall clock.
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  ASSERT_GE(idx, 0);
  ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
  Asn1TimePtr expected(ASN1_TIME_set(nullptr, kNow));
  EXPECT_EQ(ASN1_TIME_compare(value->value.utctime, expected.get()), 0);
  // CAdES: the ESS signing-certificate-v2 attribute is present.
  EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1), 0);
}

}  // namespace
}  // namespace countersign
