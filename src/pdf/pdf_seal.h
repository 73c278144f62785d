// The document seal on qpdf: an invisible signature field whose signature dictionary carries
// /ByteRange and /Contents placeholders, and the writer that serialises the document, fills in
// the byte ranges and embeds a detached CMS signature (SubFilter ETSI.CAdES.detached) over
// everything but the /Contents value, as pdfsig and PDF readers verify.
// Thread-safety: functions work only on the objects passed in.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "pdf/signing_certificate.h"

class Buffer;
class QPDF;
class QPDFObjectHandle;

namespace countersign {

// Raw bytes reserved for the CMS signature (written as twice as many hex digits).
inline constexpr size_t kSealContentsBytes = 8192;

// Adds to `pdf` an invisible signature widget on `page` (a page object of `pdf`), the
// /AcroForm listing it (replacing any) with /SigFlags 3, and its signature dictionary with
// placeholders; returns the signature dictionary (an indirect object). `reason` is a short
// ASCII text; `signing_time` is unix seconds. Throws what qpdf throws.
QPDFObjectHandle AddSealPlaceholder(QPDF& pdf, QPDFObjectHandle page, const std::string& reason,
                                    int64_t signing_time);

// Writes `pdf` to memory (no object streams, so the placeholders stay in plain text), fills the
// /ByteRange of `signature` and signs the covered bytes with `identity`. kInternal if the
// placeholders cannot be found or the signature does not fit; qpdf errors propagate as
// exceptions.
StatusOr<std::shared_ptr<Buffer>> WriteSealed(QPDF& pdf, QPDFObjectHandle signature,
                                              const SigningIdentity& identity,
                                              int64_t signing_time);

}  // namespace countersign
