// QpdfDocumentFinalizer: the DocumentFinalizer on qpdf 11 (page assembly and content streams)
// and OpenSSL CMS (the seal). Documents with interactive forms are flattened first, so the
// final PDF carries exactly one form field: the seal.
// Thread-safe: every call works on its own qpdf objects; the identity is immutable.
#pragma once

#include <string>

#include "pdf/document_finalizer.h"
#include "pdf/signing_certificate.h"

namespace countersign {

class QpdfDocumentFinalizer : public DocumentFinalizer {
 public:
  explicit QpdfDocumentFinalizer(SigningIdentity identity) : identity_(std::move(identity)) {}

  Status Finalize(const FinalizeInput& input, const std::string& out_path) override;

 private:
  SigningIdentity identity_;
};

}  // namespace countersign
