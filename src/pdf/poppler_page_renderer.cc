#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>
#include <stdlib.h>
#include <unistd.h>

#include <climits>
#include <fstream>
#include <iterator>
#include <memory>

#include "pdf/page_renderer.h"

namespace countersign {

StatusOr<std::string> PopplerPageRenderer::RenderPng(std::string_view pdf, int page_index,
                                                     double dpi) const {
  if (pdf.size() > static_cast<size_t>(INT_MAX)) return InvalidArgument("The PDF is too large.");
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!document || document->is_locked()) return InvalidArgument("The PDF cannot be read.");
  if (page_index < 0 || page_index >= document->pages()) return NotFound("No such page.");
  std::unique_ptr<poppler::page> page(document->create_page(page_index));
  if (!page) return NotFound("No such page.");
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
