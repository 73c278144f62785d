// PageRenderer: turns one page of a PDF into a PNG image, for the signing page's previews.
// Implementations are stateless and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign {

class PageRenderer {
 public:
  virtual ~PageRenderer() = default;
  // The PNG of page `page_index` (0-based) of `pdf` at `dpi`. kNotFound when the page does not
  // exist; kInvalidArgument when the PDF cannot be read; kInternal when rendering fails.
  virtual StatusOr<std::string> RenderPng(std::string_view pdf, int page_index,
                                          double dpi) const = 0;
};

// Renders with poppler-cpp (Splash backend, antialiased).
class PopplerPageRenderer : public PageRenderer {
 public:
  StatusOr<std::string> RenderPng(std::string_view pdf, int page_index, double dpi) const override;
};

}  // namespace countersign
