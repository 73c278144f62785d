// qpdf 11 without the deprecated PointerHolder; must precede every qpdf header.
#define POINTERHOLDER_TRANSITION 4

#include "pdf/qpdf_inspector.h"

#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "core/crypto.h"

namespace countersign {

namespace {

constexpr char kNotPdf[] = "The file is not a valid PDF.";
constexpr char kEncrypted[] = "The file is password-protected or encrypted.";
constexpr char kNoPages[] = "The file has no pages.";
// The largest page side accepted, in points: 200 inches (PDF's own limit is 14400 units of
// UserUnit 1; nothing a person signs is bigger, and previews of bigger pages cost too much).
constexpr double kMaxPageSide = 200 * 72;

// The "Page N is too large" error when a box of `page` (its MediaBox or its CropBox) is
// over kMaxPageSide on a side, or the page enlarges its units with UserUnit.
std::optional<Status> CheckPageSize(QPDFPageObjectHelper& page, size_t index) {
  auto too_large = [index] {
    return InvalidArgument("Page " + std::to_string(index + 1) +
                           " is too large: pages may be at most 200 inches on a side.");
  };
  QPDFObjectHandle unit = page.getObjectHandle().getKey("/UserUnit");
  if (unit.isNumber() && unit.getNumericValue() > 1) return too_large();
  for (QPDFObjectHandle box : {page.getMediaBox(), page.getCropBox()}) {
    if (!box.isRectangle()) continue;
    QPDFObjectHandle::Rectangle r = box.getArrayAsRectangle();
    double width = r.urx - r.llx;
    double height = r.ury - r.lly;
    if (!(std::fabs(width) <= kMaxPageSide) || !(std::fabs(height) <= kMaxPageSide)) {
      return too_large();
    }
  }
  return std::nullopt;
}

// The page's crop box (its media box when it has none), width and height swapped when the page
// is turned a quarter (/Rotate 90 or 270).
PageBox DisplayedBox(QPDFPageObjectHelper& page) {
  PageBox out;
  QPDFObjectHandle box = page.getCropBox();
  if (!box.isRectangle()) box = page.getMediaBox();
  if (box.isRectangle()) {
    QPDFObjectHandle::Rectangle r = box.getArrayAsRectangle();
    out.width = std::fabs(r.urx - r.llx);
    out.height = std::fabs(r.ury - r.lly);
  }
  QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
  if (rotate.isInteger() && ((rotate.getIntValue() % 180) + 180) % 180 == 90) {
    std::swap(out.width, out.height);
  }
  return out;
}

// Opens `path` read-only in `pdf`; throws what qpdf throws.
void Open(QPDF& pdf, const std::string& path) {
  pdf.setSuppressWarnings(true);
  pdf.setAttemptRecovery(true);
  pdf.processFile(path.c_str());
}

// The checks of Inspect on a document `open` has loaded into a fresh QPDF.
template <typename OpenFn>
StatusOr<PdfInfo> InspectWith(OpenFn open) {
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.setAttemptRecovery(true);
    open(pdf);
    if (pdf.isEncrypted()) return InvalidArgument(kEncrypted);
    QPDFPageDocumentHelper pages(pdf);
    PdfInfo info;
    std::vector<QPDFPageObjectHelper> all = pages.getAllPages();
    info.page_count = static_cast<int>(all.size());
    if (info.page_count == 0) return InvalidArgument(kNoPages);
    for (size_t i = 0; i < all.size(); ++i) {
      if (auto error = CheckPageSize(all[i], i)) return *error;
      info.pages.push_back(DisplayedBox(all[i]));
    }
    return info;
  } catch (const QPDFExc& e) {
    // A file with a user password cannot even be opened without it.
    if (e.getErrorCode() == qpdf_e_password) return InvalidArgument(kEncrypted);
    return InvalidArgument(kNotPdf);
  } catch (...) {
    return InvalidArgument(kNotPdf);
  }
}

}  // namespace

StatusOr<PdfInfo> QpdfInspector::Inspect(const std::string& path) {
  return InspectWith([&path](QPDF& pdf) { pdf.processFile(path.c_str()); });
}

StatusOr<PdfInfo> QpdfInspector::InspectBuffer(std::string_view data) {
  return InspectWith([data](QPDF& pdf) {
    // qpdf only reads the buffer (it wraps it without copying or taking ownership).
    pdf.processMemoryFile("upload", data.data(), data.size());
  });
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
