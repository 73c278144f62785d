// qpdf 11 without the deprecated PointerHolder; must precede every qpdf header.
#define POINTERHOLDER_TRANSITION 4

#include "pdf/qpdf_inspector.h"

#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/crypto.h"

namespace countersign {

namespace {

constexpr char kNotPdf[] = "The file is not a valid PDF.";
constexpr char kEncrypted[] = "The file is password-protected or encrypted.";
constexpr char kNoPages[] = "The file has no pages.";

// Opens `path` read-only in `pdf`; throws what qpdf throws.
void Open(QPDF& pdf, const std::string& path) {
  pdf.setSuppressWarnings(true);
  pdf.setAttemptRecovery(true);
  pdf.processFile(path.c_str());
}

}  // namespace

StatusOr<PdfInfo> QpdfInspector::Inspect(const std::string& path) {
  try {
    QPDF pdf;
    Open(pdf, path);
    if (pdf.isEncrypted()) return InvalidArgument(kEncrypted);
    QPDFPageDocumentHelper pages(pdf);
    PdfInfo info;
    info.page_count = static_cast<int>(pages.getAllPages().size());
    if (info.page_count == 0) return InvalidArgument(kNoPages);
    return info;
  } catch (const QPDFExc& e) {
    // A file with a user password cannot even be opened without it.
    if (e.getErrorCode() == qpdf_e_password) return InvalidArgument(kEncrypted);
    return InvalidArgument(kNotPdf);
  } catch (...) {
    return InvalidArgument(kNotPdf);
  }
}

Status QpdfInspector::Merge(const std::vector<std::string>& paths, const std::string& out_path) {
  if (paths.empty()) return InvalidArgument("No files to merge.");
  std::string temp_path = out_path + ".tmp-" + RandomHex(8);
  std::string current;
  try {
    QPDF out;
    out.setSuppressWarnings(true);
    out.emptyPDF();
    QPDFPageDocumentHelper out_pages(out);
    // Copied pages refer to their source's streams until written: keep sources open.
    std::vector<std::unique_ptr<QPDF>> sources;
    for (const std::string& path : paths) {
      current = path;
      auto source = std::make_unique<QPDF>();
      Open(*source, path);
      if (source->isEncrypted()) return Internal("Cannot merge encrypted PDF " + path);
      for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(*source).getAllPages()) {
        out_pages.addPage(page, false);
      }
      sources.push_back(std::move(source));
    }
    current = out_path;
    QPDFWriter writer(out, temp_path.c_str());
    writer.write();
  } catch (const std::exception& e) {
    unlink(temp_path.c_str());
    return Internal("Cannot merge PDFs (" + current + "): " + e.what());
  } catch (...) {
    unlink(temp_path.c_str());
    return Internal("Cannot merge PDFs (" + current + ")");
  }
  if (rename(temp_path.c_str(), out_path.c_str()) != 0) {
    int err = errno;
    unlink(temp_path.c_str());
    return Internal("Cannot rename merged PDF to " + out_path + ": " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace countersign
