#include "pdf/page_previews.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "pdf/page_renderer.h"
#include "pdf/pdf_test_util.h"
#include "testing/text_pdf.h"

namespace countersign {
namespace {

namespace fs = std::filesystem;

// Answers "png:<path>:<page>" (or `error`), counting calls; with `hold`, each call waits until
// Release().
class FakeRenderer : public PageRenderer {
 public:
  StatusOr<std::string> RenderPng(const std::string& pdf_path, int page_index,
                                  const RenderLimits&) const override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++calls_;
    ++inside_;
    entered_.notify_all();
    released_.wait(lock, [this] { return !hold_; });
    --inside_;
    if (!error_.ok()) return error_;
    return "png:" + pdf_path + ":" + std::to_string(page_index) + std::string(filler_, 'x');
  }
  int calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  void Hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_ = true;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_ = false;
    released_.notify_all();
  }
  void WaitUntilInside(int n) const {
    std::unique_lock<std::mutex> lock(mutex_);
    entered_.wait(lock, [&] { return inside_ >= n; });
  }
  Status error_;
  size_t filler_ = 0;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable entered_, released_;
  mutable int calls_ = 0;
  mutable int inside_ = 0;
  bool hold_ = false;
};

TEST(PagePreviewsTest, RendersEachPageOfEachDocumentOnce) {
  FakeRenderer renderer;
  PagePreviews previews(renderer, PagePreviews::Options{});
  EXPECT_EQ(*previews.Png("aaa", "/a.pdf", 0), "png:/a.pdf:0");
  EXPECT_EQ(*previews.Png("aaa", "/a.pdf", 0), "png:/a.pdf:0");
  EXPECT_EQ(renderer.calls(), 1);
  EXPECT_EQ(*previews.Png("aaa", "/a.pdf", 1), "png:/a.pdf:1");
  EXPECT_EQ(*previews.Png("bbb", "/b.pdf", 0), "png:/b.pdf:0");
  EXPECT_EQ(renderer.calls(), 3);
  EXPECT_EQ(previews.renders(), 3);
}

TEST(PagePreviewsTest, AFailedPageIsNotRenderedAgain) {
  FakeRenderer renderer;
  renderer.error_ = Internal("The page is too complex to preview.");
  PagePreviews previews(renderer, PagePreviews::Options{});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(previews.Png("bomb", "/bomb.pdf", 0).status().code(), Code::kInternal);
  }
  EXPECT_EQ(renderer.calls(), 1);
}

TEST(PagePreviewsTest, TheCacheKeepsToItsByteBound) {
  FakeRenderer renderer;
  renderer.filler_ = 1000;
  PagePreviews::Options options;
  options.cache_bytes = 3 * 1400;  // three ~1.3 KB entries
  PagePreviews previews(renderer, options);
  for (int page = 0; page < 4; ++page) ASSERT_TRUE(previews.Png("aaa", "/a.pdf", page).ok());
  ASSERT_EQ(renderer.calls(), 4);
  ASSERT_TRUE(previews.Png("aaa", "/a.pdf", 3).ok());  // recent: cached
  EXPECT_EQ(renderer.calls(), 4);
  ASSERT_TRUE(previews.Png("aaa", "/a.pdf", 0).ok());  // the oldest was dropped
  EXPECT_EQ(renderer.calls(), 5);
}

TEST(PagePreviewsTest, BusySlotsAnswerUnavailableInsteadOfPilingUp) {
  FakeRenderer renderer;
  renderer.Hold();
  PagePreviews::Options options;
  options.max_concurrent = 1;
  options.max_waiting = 0;
  PagePreviews previews(renderer, options);
  auto first = std::async(std::launch::async, [&] { return previews.Png("aaa", "/a.pdf", 0); });
  renderer.WaitUntilInside(1);
  StatusOr<std::string> second = previews.Png("aaa", "/a.pdf", 1);
  EXPECT_EQ(second.status().code(), Code::kUnavailable);
  renderer.Release();
  EXPECT_TRUE(first.get().ok());
  EXPECT_TRUE(previews.Png("aaa", "/a.pdf", 1).ok()) << "a slot is free again";
  EXPECT_EQ(renderer.calls(), 2);
}

// PNG width and height from the IHDR chunk.
std::pair<uint32_t, uint32_t> PngSize(const std::string& png) {
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  if (png.size() < 24 || png.compare(1, 3, "PNG") != 0) return {0, 0};
  return {be32(16), be32(20)};
}

class PageRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "page_renderer_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (fs::path(dir_) / name).string(); }
  bool HavePdftoppm() const { return access("/usr/bin/pdftoppm", X_OK) == 0; }
  std::string dir_;
};

TEST_F(PageRendererTest, AHugePageIsScaledDownToThePixelBudget) {
  // 200 x 200 inches: 400 megapixels at 100 dpi.
  testing::WriteTestPdf(Path("huge.pdf"), 1, "huge", 14400, 14400);
  RenderLimits limits;
  limits.max_pixels = 1'000'000;
  PopplerPageRenderer in_process;
  PdftoppmPageRenderer child("/usr/bin/pdftoppm", dir_);
  std::vector<const PageRenderer*> renderers = {&in_process};
  if (HavePdftoppm()) renderers.push_back(&child);
  for (const PageRenderer* renderer : renderers) {
    StatusOr<std::string> png = renderer->RenderPng(Path("huge.pdf"), 0, limits);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    auto [w, h] = PngSize(*png);
    EXPECT_LE(uint64_t{w} * h, 1'000'000u) << w << "x" << h;
    EXPECT_GE(w, 900u);
    EXPECT_EQ(w, h);
  }
  // An ordinary page keeps the resolution asked for: Letter at 100 dpi is 850 x 1100.
  testing::WriteTestPdf(Path("letter.pdf"), 2, "letter");
  for (const PageRenderer* renderer : renderers) {
    StatusOr<std::string> png = renderer->RenderPng(Path("letter.pdf"), 1, limits);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    EXPECT_EQ(PngSize(*png), std::make_pair(850u, 1100u));
    EXPECT_EQ(renderer->RenderPng(Path("letter.pdf"), 2, limits).status().code(), Code::kNotFound);
  }
}

TEST_F(PageRendererTest, TheCropBoxIsWhatIsRendered) {
  // Letter with a crop box of its left half (a page as displayed, where fields are measured).
  std::ofstream(Path("cropped.pdf"), std::ios::binary)
      << testing::TextPdf({"BT /F1 12 Tf 72 700 Td (left half) Tj ET"}, "/CropBox [0 0 306 792]");
  RenderLimits limits;
  PopplerPageRenderer in_process;
  PdftoppmPageRenderer child("/usr/bin/pdftoppm", dir_);
  std::vector<const PageRenderer*> renderers = {&in_process};
  if (HavePdftoppm()) renderers.push_back(&child);
  for (const PageRenderer* renderer : renderers) {
    StatusOr<std::string> png = renderer->RenderPng(Path("cropped.pdf"), 0, limits);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    EXPECT_EQ(PngSize(*png), std::make_pair(425u, 1100u));  // 306 x 792 pt at 100 dpi
  }
}

TEST_F(PageRendererTest, ARenderOverTheTimeLimitIsStopped) {
  if (!HavePdftoppm()) GTEST_SKIP() << "pdftoppm is not installed";
  // 200,000 wide strokes across the page: seconds of rasterising.
  std::string content;
  for (int i = 0; i < 200000; ++i) {
    content +=
        "40 w 0 " + std::to_string(i % 792) + " m 612 " + std::to_string(791 - i % 792) + " l S\n";
  }
  {
    QPDF pdf;
    pdf.emptyPDF();
    QPDFObjectHandle page = pdf.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 612 792] /Resources << >> >>"));
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, content));
    QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
    QPDFWriter writer(pdf, Path("slow.pdf").c_str());
    writer.write();
  }
  PdftoppmPageRenderer child("/usr/bin/pdftoppm", dir_);
  RenderLimits limits;
  limits.timeout_ms = 50;
  StatusOr<std::string> png = child.RenderPng(Path("slow.pdf"), 0, limits);
  EXPECT_EQ(png.status().code(), Code::kInternal);
  EXPECT_EQ(png.status().message(), "The page is too complex to preview.");
  // Nothing is left behind in the temporary folder.
  int left = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) left += entry.path() != Path("slow.pdf");
  EXPECT_EQ(left, 0);
}

}  // namespace
}  // namespace countersign
