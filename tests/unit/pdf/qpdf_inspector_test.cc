// qpdf 11 without the deprecated PointerHolder; must precede every qpdf header.
#define POINTERHOLDER_TRANSITION 4

#include "pdf/qpdf_inspector.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <sstream>
#include <string>

namespace countersign {
namespace {

namespace fs = std::filesystem;

enum class Encryption { kNone, kUserPassword, kOwnerPasswordOnly };

// Writes a PDF with `pages` Letter pages, each showing its number; `last_page_extra` (e.g.
// "/MediaBox [0 0 14401 792]") sets keys of the last page.
void WritePdf(const std::string& path, int pages, Encryption enc = Encryption::kNone,
              const std::string& last_page_extra = "") {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper doc(pdf);
  for (int i = 0; i < pages; ++i) {
    QPDFObjectHandle page = pdf.makeIndirectObject(QPDFObjectHandle::parse(
        "<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << /F1 << /Type /Font "
        "/Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"));
    if (i + 1 == pages && !last_page_extra.empty()) {
      QPDFObjectHandle extra = QPDFObjectHandle::parse("<< " + last_page_extra + " >>");
      for (const std::string& key : extra.getKeys()) page.replaceKey(key, extra.getKey(key));
    }
    std::string content = "BT /F1 24 Tf 72 700 Td (Page " + std::to_string(i + 1) + ") Tj ET";
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, content));
    doc.addPage(QPDFPageObjectHelper(page), false);
  }
  QPDFWriter writer(pdf, path.c_str());
  if (enc != Encryption::kNone) {
    const char* user = enc == Encryption::kUserPassword ? "secret" : "";
    writer.setR6EncryptionParameters(user, "owner", true, false, true, true, true, false,
                                     qpdf_r3p_full, true);
  }
  writer.write();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

class QpdfInspectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "qpdf_inspector_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (fs::path(dir_) / name).string(); }

  // Checks the file at `path`, and the same bytes in memory (InspectBuffer), when it exists.
  void ExpectInvalid(const std::string& path, const std::string& message) {
    StatusOr<PdfInfo> info = inspector_.Inspect(path);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(info.status().message(), message);
    if (!fs::exists(path)) return;
    const std::string bytes = ReadAll(path);
    StatusOr<PdfInfo> in_memory = inspector_.InspectBuffer(bytes);
    ASSERT_FALSE(in_memory.ok()) << path;
    EXPECT_EQ(in_memory.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(in_memory.status().message(), message) << path;
  }

  std::string dir_;
  QpdfInspector inspector_;
};

TEST_F(QpdfInspectorTest, CountsPages) {
  WritePdf(Path("one.pdf"), 1);
  WritePdf(Path("three.pdf"), 3);
  StatusOr<PdfInfo> one = inspector_.Inspect(Path("one.pdf"));
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->page_count, 1);
  StatusOr<PdfInfo> three = inspector_.Inspect(Path("three.pdf"));
  ASSERT_TRUE(three.ok()) << three.status().ToString();
  EXPECT_EQ(three->page_count, 3);
  const std::string bytes = ReadAll(Path("three.pdf"));
  StatusOr<PdfInfo> in_memory = inspector_.InspectBuffer(bytes);
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().ToString();
  EXPECT_EQ(in_memory->page_count, 3);
  ASSERT_EQ(in_memory->pages.size(), 3u);
  EXPECT_EQ(in_memory->pages[0].width, three->pages[0].width);
  EXPECT_EQ(in_memory->pages[0].height, three->pages[0].height);
}

TEST_F(QpdfInspectorTest, RefusesPagesOverTwoHundredInches) {
  const std::string kMessage = "Page 2 is too large: pages may be at most 200 inches on a side.";
  WritePdf(Path("wide.pdf"), 2, Encryption::kNone, "/MediaBox [0 0 14401 792]");
  ExpectInvalid(Path("wide.pdf"), kMessage);
  WritePdf(Path("tall.pdf"), 2, Encryption::kNone, "/MediaBox [0 -20000 612 792]");
  ExpectInvalid(Path("tall.pdf"), kMessage);
  WritePdf(Path("crop.pdf"), 2, Encryption::kNone, "/CropBox [0 0 99999 99999]");
  ExpectInvalid(Path("crop.pdf"), kMessage);
  WritePdf(Path("unit.pdf"), 2, Encryption::kNone, "/UserUnit 75000");
  ExpectInvalid(Path("unit.pdf"), kMessage);
  WritePdf(Path("max.pdf"), 2, Encryption::kNone, "/MediaBox [0 0 14400 14400]");
  StatusOr<PdfInfo> max = inspector_.Inspect(Path("max.pdf"));
  ASSERT_TRUE(max.ok()) << max.status().ToString();
  EXPECT_EQ(max->page_count, 2);
}

TEST_F(QpdfInspectorTest, ReportsEachPageAsDisplayed) {
  WritePdf(Path("turned.pdf"), 2, Encryption::kNone, "/Rotate 270 /CropBox [10 10 510 710]");
  StatusOr<PdfInfo> info = inspector_.Inspect(Path("turned.pdf"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  ASSERT_EQ(info->pages.size(), 2u);
  EXPECT_DOUBLE_EQ(info->pages[0].width, 612);  // the media box
  EXPECT_DOUBLE_EQ(info->pages[0].height, 792);
  EXPECT_DOUBLE_EQ(info->pages[1].width, 700);  // the crop box, turned a quarter
  EXPECT_DOUBLE_EQ(info->pages[1].height, 500);
}

TEST_F(QpdfInspectorTest, RefusesEncryptedWithUserPassword) {
  WritePdf(Path("locked.pdf"), 1, Encryption::kUserPassword);
  ExpectInvalid(Path("locked.pdf"), "The file is password-protected or encrypted.");
}

TEST_F(QpdfInspectorTest, RefusesEncryptedWithOwnerPasswordOnly) {
  WritePdf(Path("restricted.pdf"), 1, Encryption::kOwnerPasswordOnly);
  ExpectInvalid(Path("restricted.pdf"), "The file is password-protected or encrypted.");
}

TEST_F(QpdfInspectorTest, RefusesGarbage) {
  WriteBytes(Path("garbage.pdf"), "This is not a PDF at all, just some text.\n");
  ExpectInvalid(Path("garbage.pdf"), "The file is not a valid PDF.");
  WriteBytes(Path("empty.pdf"), "");
  ExpectInvalid(Path("empty.pdf"), "The file is not a valid PDF.");
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919) % 256));
  WriteBytes(Path("binary.pdf"), binary);
  ExpectInvalid(Path("binary.pdf"), "The file is not a valid PDF.");
}

TEST_F(QpdfInspectorTest, RefusesTruncatedFile) {
  WritePdf(Path("full.pdf"), 2);
  std::string bytes = ReadAll(Path("full.pdf"));
  ASSERT_GT(bytes.size(), 100u);
  WriteBytes(Path("truncated.pdf"), bytes.substr(0, 60));
  ExpectInvalid(Path("truncated.pdf"), "The file is not a valid PDF.");
}

TEST_F(QpdfInspectorTest, RefusesMissingFile) {
  ExpectInvalid(Path("does-not-exist.pdf"), "The file is not a valid PDF.");
}

TEST_F(QpdfInspectorTest, RefusesZeroPages) {
  WritePdf(Path("zero.pdf"), 0);
  ExpectInvalid(Path("zero.pdf"), "The file has no pages.");
}

TEST_F(QpdfInspectorTest, MergesPagesInOrder) {
  WritePdf(Path("a.pdf"), 1);
  WritePdf(Path("b.pdf"), 1);
  WritePdf(Path("c.pdf"), 2);
  ASSERT_TRUE(inspector_.Merge({Path("a.pdf"), Path("b.pdf")}, Path("ab.pdf")).ok());
  StatusOr<PdfInfo> ab = inspector_.Inspect(Path("ab.pdf"));
  ASSERT_TRUE(ab.ok()) << ab.status().ToString();
  EXPECT_EQ(ab->page_count, 2);

  ASSERT_TRUE(inspector_.Merge({Path("c.pdf"), Path("a.pdf")}, Path("ca.pdf")).ok());
  QPDF merged;
  merged.processFile(Path("ca.pdf").c_str());
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(merged).getAllPages();
  ASSERT_EQ(pages.size(), 3u);
  std::vector<std::string> texts;
  for (QPDFPageObjectHelper& page : pages) {
    std::shared_ptr<Buffer> data = page.getObjectHandle().getKey("/Contents").getStreamData();
    texts.emplace_back(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  }
  EXPECT_NE(texts[0].find("(Page 1)"), std::string::npos);
  EXPECT_NE(texts[1].find("(Page 2)"), std::string::npos);
  EXPECT_NE(texts[2].find("(Page 1)"), std::string::npos);

  // Only the output is left behind: no temp files.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 5);
}

TEST_F(QpdfInspectorTest, MergeFailsCleanlyOnBadInput) {
  WritePdf(Path("a.pdf"), 1);
  WriteBytes(Path("bad.pdf"), "garbage");
  Status st = inspector_.Merge({Path("a.pdf"), Path("bad.pdf")}, Path("out.pdf"));
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_FALSE(fs::exists(Path("out.pdf")));
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 2);
  EXPECT_EQ(inspector_.Merge({}, Path("out.pdf")).code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace countersign
