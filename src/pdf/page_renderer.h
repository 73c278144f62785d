// PageRenderer: turns one page of a PDF file into a PNG image, for the signing page's previews,
// within RenderLimits: a pixel budget (a huge page is rendered at a lower resolution so that
// width * height stays within it) and, where the implementation can enforce one, a time limit.
// Implementations are stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign {

struct RenderLimits {
  double dpi = 100;                // the resolution of a page of ordinary size
  int64_t max_pixels = 4'000'000;  // width * height of the image at most (~16 MB of RGBA)
  int timeout_ms = 10'000;         // wall-clock limit of one render
  int64_t max_memory = 1ll << 30;  // address space of a render process
};

// The resolution at which a `width_pt` x `height_pt` page (in points) fits `limits`: `dpi`, or
// less for a page that would exceed max_pixels. Never below 1 dpi.
double BudgetDpi(double width_pt, double height_pt, const RenderLimits& limits);

// The page's crop box size in points (what the renderers draw: the page as displayed, where
// form fields are measured from), read with poppler-cpp.
// kNotFound for a page that does not exist; kInvalidArgument for an unreadable PDF.
struct PageSize {
  double width_pt = 0;
  double height_pt = 0;
};
StatusOr<PageSize> ReadPageSize(const std::string& pdf_path, int page_index);

class PageRenderer {
 public:
  virtual ~PageRenderer() = default;
  // The PNG of page `page_index` (0-based) of the PDF at `pdf_path` within `limits`.
  // kNotFound when the page does not exist; kInvalidArgument when the PDF cannot be read;
  // kInternal when rendering fails or runs over the time or memory limit.
  virtual StatusOr<std::string> RenderPng(const std::string& pdf_path, int page_index,
                                          const RenderLimits& limits) const = 0;
};

// Renders in this process with poppler-cpp (Splash, antialiased). Keeps the pixel budget but
// cannot stop a slow page: for tests and as the fallback when pdftoppm is not installed.
class PopplerPageRenderer : public PageRenderer {
 public:
  StatusOr<std::string> RenderPng(const std::string& pdf_path, int page_index,
                                  const RenderLimits& limits) const override;
};

// Renders with poppler's pdftoppm in a child process: a hostile PDF is bounded in wall time
// (killed at timeout_ms), CPU time (RLIMIT_CPU) and memory (RLIMIT_AS), and cannot crash the
// server. `pdftoppm` is the program's path; `temp_dir` holds the image while it is written.
class PdftoppmPageRenderer : public PageRenderer {
 public:
  PdftoppmPageRenderer(std::string pdftoppm, std::string temp_dir)
      : pdftoppm_(std::move(pdftoppm)), temp_dir_(std::move(temp_dir)) {}
  StatusOr<std::string> RenderPng(const std::string& pdf_path, int page_index,
                                  const RenderLimits& limits) const override;

 private:
  std::string pdftoppm_;
  std::string temp_dir_;
};

}  // namespace countersign
