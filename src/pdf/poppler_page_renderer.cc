// The pixel budget, page sizes and the in-process renderer, with poppler-cpp.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>

#include "pdf/page_renderer.h"

namespace countersign {

namespace {

// Opens the PDF at `path` and its page `page_index`.
StatusOr<std::unique_ptr<poppler::page>> OpenPage(const std::string& path, int page_index,
                                                  std::unique_ptr<poppler::document>& document) {
  document.reset(poppler::document::load_from_file(path));
  if (!document || document->is_locked()) return InvalidArgument("The PDF cannot be read.");
  if (page_index < 0 || page_index >= document->pages()) return NotFound("No such page.");
  std::unique_ptr<poppler::page> page(document->create_page(page_index));
  if (!page) return NotFound("No such page.");
  return page;
}

}  // namespace

double BudgetDpi(double width_pt, double height_pt, const RenderLimits& limits) {
  double w = std::fabs(width_pt) / 72.0;
  double h = std::fabs(height_pt) / 72.0;
  double dpi = limits.dpi;
  if (w * h * dpi * dpi > static_cast<double>(limits.max_pixels) && w > 0 && h > 0) {
    // Rounding up a side adds at most one row or column: leave room for it.
    dpi = std::sqrt(static_cast<double>(limits.max_pixels) / (w * h)) * 0.99;
  }
  return std::max(1.0, dpi);
}

StatusOr<PageSize> ReadPageSize(const std::string& pdf_path, int page_index) {
  std::unique_ptr<poppler::document> document;
  CS_ASSIGN_OR_RETURN(std::unique_ptr<poppler::page> page,
                      OpenPage(pdf_path, page_index, document));
  poppler::rectf box = page->page_rect(poppler::crop_box);
  return PageSize{box.width(), box.height()};
}

StatusOr<std::string> PopplerPageRenderer::RenderPng(const std::string& pdf_path, int page_index,
                                                     const RenderLimits& limits) const {
  std::unique_ptr<poppler::document> document;
  CS_ASSIGN_OR_RETURN(std::unique_ptr<poppler::page> page,
                      OpenPage(pdf_path, page_index, document));
  poppler::rectf box = page->page_rect(poppler::crop_box);
  double dpi = BudgetDpi(box.width(), box.height(), limits);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_paper_color(0xffffffff);
  poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  if (!image.is_valid()) return Internal("The page could not be rendered.");

  char path[] = "/tmp/countersign-page-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return Internal("Cannot create a temporary file.");
  close(fd);
  bool saved = image.save(path, "png");
  std::string png;
  if (saved) {
    std::ifstream in(path, std::ios::binary);
    png.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  unlink(path);
  if (!saved || png.empty()) return Internal("The page image could not be saved.");
  return png;
}

}  // namespace countersign
