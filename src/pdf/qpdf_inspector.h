// QpdfInspector: the PdfInspector on qpdf 11. Opens documents with recovery enabled and
// warnings suppressed, refuses encrypted files, counts pages and concatenates documents.
// Thread-safe: every call works on its own QPDF objects; the class holds no state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pdf/pdf_inspector.h"

namespace countersign {

class QpdfInspector : public PdfInspector {
 public:
  QpdfInspector() = default;

  // kInvalidArgument "The file is not a valid PDF." for anything qpdf cannot open or whose
  // page tree is broken, "The file is password-protected or encrypted." for encrypted files
  // (with or without a user password) and "The file has no pages." for an empty document.
  StatusOr<PdfInfo> Inspect(const std::string& path) override;
  // The same, on qpdf's processMemoryFile over `data` (no copy).
  StatusOr<PdfInfo> InspectBuffer(std::string_view data) override;

  // Writes `out_path.tmp-<random>` then renames it to `out_path`, so readers never see a
  // partial file. kInternal (naming the failing input) when an input cannot be read or is
  // encrypted, or the output cannot be written; kInvalidArgument when `paths` is empty.
  Status Merge(const std::vector<std::string>& paths, const std::string& out_path) override;
};

}  // namespace countersign
