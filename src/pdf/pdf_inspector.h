// PdfInspector: validates an uploaded document and reads what the service needs from it.
// Implementations are thread-safe (no shared mutable state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace countersign {

// A page's size as displayed, in points: its crop box (or media box), turned by /Rotate.
struct PageBox {
  double width = 0;
  double height = 0;
};

struct PdfInfo {
  int page_count = 0;
  std::vector<PageBox> pages;  // one per page, in order
};

class PdfInspector {
 public:
  virtual ~PdfInspector() = default;
  // Parses the PDF at `path`. kInvalidArgument with a message a user understands for a file
  // that is not a PDF, is damaged beyond repair, is encrypted/password-protected, or has no
  // pages, or has a page over 200 inches on a side. Never throws.
  virtual StatusOr<PdfInfo> Inspect(const std::string& path) = 0;
  // The same checks on a document held in memory (an upload, before anything is written):
  // `data` is read in place, not copied, and need only live for the call.
  virtual StatusOr<PdfInfo> InspectBuffer(std::string_view data) = 0;
  // Writes one PDF at `out_path` holding every page of `paths` in order (used to download a
  // multi-file request as one PDF). kInternal on failure.
  virtual Status Merge(const std::vector<std::string>& paths, const std::string& out_path) = 0;
};

}  // namespace countersign
