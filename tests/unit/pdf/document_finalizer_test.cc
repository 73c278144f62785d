#include "pdf/document_finalizer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "pdf/pdf_test_util.h"
#include "pdf/qpdf_document_finalizer.h"
#include "pdf/signing_certificate.h"

namespace countersign {
namespace {

namespace fs = std::filesystem;
using testing::CollapseSpaces;
using testing::CountPages;
using testing::ReadFileBytes;
using testing::RunCommand;
using testing::WriteFileBytes;
using testing::WriteTestPdf;

#define ASSERT_OK(expr)                      \
  do {                                       \
    ::countersign::Status st_ = (expr);      \
    ASSERT_TRUE(st_.ok()) << st_.ToString(); \
  } while (0)
#define EXPECT_OK(expr)                      \
  do {                                       \
    ::countersign::Status st_ = (expr);      \
    EXPECT_TRUE(st_.ok()) << st_.ToString(); \
  } while (0)

constexpr int64_t kNow = 1714566896;  // 2024-05-01 12:34:56 UTC
constexpr char kUserAgent[] =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";

class DocumentFinalizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    StatusOr<SigningIdentity> identity = CreateSigningIdentity("Acme Test Org", kNow - 86400);
    ASSERT_TRUE(identity.ok()) << identity.status().ToString();
    identity_ = new SigningIdentity(std::move(identity).value());
  }
  static void TearDownTestSuite() {
    delete identity_;
    identity_ = nullptr;
  }

  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "document_finalizer_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    finalizer_ = std::make_unique<QpdfDocumentFinalizer>(*identity_);
    WriteTestPdf(Path("contract.pdf"), 3, "contract");
    WriteTestPdf(Path("annex.pdf"), 1, "annex", 595, 842, 0, /*object_streams=*/true);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (fs::path(dir_) / name).string(); }

  // Two documents (3 + 1 pages); Alice typed and placed on page 2 of the contract, Bob drawn
  // and without placement.
  FinalizeInput Input() {
    FinalizeInput in;
    in.request_id = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    in.title = "Lease (2024) \\ renewal";
    in.completed_at = kNow;
    in.documents = {
        {Path("contract.pdf"), "contract.pdf", Sha256Hex(ReadFileBytes(Path("contract.pdf")))},
        {Path("annex.pdf"), "annex.pdf", Sha256Hex(ReadFileBytes(Path("annex.pdf")))}};
    FinalizeSigner alice;
    alice.name = "Alice Example";
    alice.email = "alice@example.com";
    alice.signed_at = kNow - 600;
    alice.kind = SignatureKind::kTyped;
    alice.typed = "Alice Example";
    alice.placement = SignaturePlacement{0, 2, 100, 500, 200, 40};
    FinalizeSigner bob;
    bob.name = "Bob Builder";
    bob.email = "bob@example.org";
    bob.signed_at = kNow;
    bob.kind = SignatureKind::kDrawn;
    bob.drawn = {{{0.1, 0.8}, {0.3, 0.2}, {0.5, 0.7}, {0.9, 0.3}}, {{0.2, 0.5}}};
    in.signers = {alice, bob};
    in.events = {{kNow - 3600, "sent", "owner@example.net", "198.51.100.7", "countersign-sdk/1.0"},
                 {kNow - 900, "viewed", "alice@example.com", "203.0.113.5", kUserAgent},
                 {kNow - 600, "signed", "alice@example.com", "203.0.113.5", kUserAgent},
                 {kNow, "signed", "bob@example.org", "2001:db8::17", "curl/8.0"}};
    return in;
  }

  std::string PdfText(const std::string& path) {
    testing::CommandResult r = RunCommand("pdftotext -enc UTF-8 '" + path + "' -");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return r.output;
  }

  static SigningIdentity* identity_;
  std::string dir_;
  std::unique_ptr<DocumentFinalizer> finalizer_;
};

SigningIdentity* DocumentFinalizerTest::identity_ = nullptr;

bool PdfsigSaysValid(const std::string& path, std::string* output = nullptr) {
  testing::CommandResult r = RunCommand("pdfsig '" + path + "'");
  if (output != nullptr) *output = r.output;
  return r.output.find("Signature Validation: Signature is Valid.") != std::string::npos;
}

TEST_F(DocumentFinalizerTest, SealIsValidAndAuditTrailIsExtractable) {
  FinalizeInput in = Input();
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));

  std::string pdfsig;
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf"), &pdfsig)) << pdfsig;
  EXPECT_NE(pdfsig.find("Countersign document seal"), std::string::npos) << pdfsig;
  EXPECT_NE(pdfsig.find("Total document signed"), std::string::npos) << pdfsig;
  EXPECT_NE(pdfsig.find("ETSI.CAdES.detached"), std::string::npos) << pdfsig;

  // 4 original pages + 1 signature page (Bob) + 1 audit page.
  EXPECT_EQ(CountPages(Path("final.pdf")), 6);
  std::string text = CollapseSpaces(PdfText(Path("final.pdf")));
  for (const std::string& expected :
       {in.request_id, std::string("Lease (2024) \\ renewal"), std::string("alice@example.com"),
        std::string("bob@example.org"), in.documents[0].sha256_hex, in.documents[1].sha256_hex,
        std::string("203.0.113.5"), std::string("2001:db8::17"), std::string(kUserAgent),
        std::string("2024-05-01 12:34:56 UTC"), std::string("Acme Test Org"), std::string("sealed"),
        std::string("Page 2 of contract"), std::string("Page 1 of annex"),
        std::string("Bob Builder")}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
  EXPECT_EQ(text.find("TEST MODE"), std::string::npos);
}

TEST_F(DocumentFinalizerTest, TestModeMarksEveryPage) {
  FinalizeInput in = Input();
  in.test_mode = true;
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf")));
  int pages = CountPages(Path("final.pdf"));
  ASSERT_EQ(pages, 6);
  for (int page = 1; page <= pages; ++page) {
    testing::CommandResult r =
        RunCommand("pdftotext -enc UTF-8 -f " + std::to_string(page) + " -l " +
                   std::to_string(page) + " '" + Path("final.pdf") + "' -");
    EXPECT_NE(r.output.find("TEST MODE \u2014 not legally binding"), std::string::npos)
        << "page " << page << ":\n"
        << r.output;
  }
}

TEST_F(DocumentFinalizerTest, OneChangedByteBreaksTheSeal) {
  ASSERT_OK(finalizer_->Finalize(Input(), Path("final.pdf")));
  std::string bytes = ReadFileBytes(Path("final.pdf"));
  size_t contents = bytes.find("/Contents <");
  ASSERT_NE(contents, std::string::npos);
  // One byte in the signed range, in the middle of the pages before the signature value.
  size_t at = contents / 2;
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  WriteFileBytes(Path("tampered.pdf"), bytes);
  std::string output;
  EXPECT_FALSE(PdfsigSaysValid(Path("tampered.pdf"), &output)) << output;

  // A byte after the signature value (also covered) is detected too.
  bytes = ReadFileBytes(Path("final.pdf"));
  size_t tail = bytes.size() - 40;
  bytes[tail] = bytes[tail] == '0' ? '1' : '0';
  WriteFileBytes(Path("tampered2.pdf"), bytes);
  EXPECT_FALSE(PdfsigSaysValid(Path("tampered2.pdf"), &output)) << output;
}

TEST_F(DocumentFinalizerTest, AllPlacedMeansNoSignaturePage) {
  FinalizeInput in = Input();
  in.signers[1].placement = SignaturePlacement{1, 1, 300, 700, 150, 50};
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  EXPECT_EQ(CountPages(Path("final.pdf")), 5);
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf")));
}

TEST_F(DocumentFinalizerTest, FieldStampsAreDrawnWhereTheyArePlaced) {
  FinalizeInput in = Input();
  in.signers[0].fields = {
      {SignaturePlacement{0, 1, 72, 100, 200, 20}, StampKind::kText, "03 / 14 / 2025"},
      {SignaturePlacement{0, 3, 72, 100, 60, 30}, StampKind::kInitials, ""},
      {SignaturePlacement{0, 3, 300, 100, 200, 40}, StampKind::kSignature, ""}};
  in.signers[1].fields = {{SignaturePlacement{1, 1, 72, 100, 60, 30}, StampKind::kInitials, ""}};
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf")));
  // Page 1 carries the date; page 3 the typed initials and the mark again.
  testing::CommandResult page1 =
      RunCommand("pdftotext -enc UTF-8 -f 1 -l 1 '" + Path("final.pdf") + "' -");
  EXPECT_NE(page1.output.find("03 / 14 / 2025"), std::string::npos) << page1.output;
  testing::CommandResult page3 =
      RunCommand("pdftotext -enc UTF-8 -f 3 -l 3 '" + Path("final.pdf") + "' -");
  EXPECT_NE(page3.output.find("AE"), std::string::npos) << page3.output;
  EXPECT_NE(page3.output.find("Alice Example"), std::string::npos) << page3.output;
  // A stamp off its page is refused like a placement.
  in.signers[1].fields[0].at.y = 830;
  EXPECT_EQ(finalizer_->Finalize(in, Path("final2.pdf")).code(), Code::kInvalidArgument);
  in.signers[1].fields[0].at.document_index = 5;
  EXPECT_EQ(ValidateFinalizeInput(in).code(), Code::kInvalidArgument);
}

// Dark pixels (gray < 128) of page `page` rendered at 72 dpi (1 pixel per point) inside the box
// (x, y, w, h) in points from the top-left.
int DarkPixels(const std::string& pdf, int page, int x, int y, int w, int h) {
  const std::string out = pdf + ".page";
  testing::CommandResult r =
      RunCommand("pdftoppm -r 72 -gray -singlefile -f " + std::to_string(page) + " -l " +
                 std::to_string(page) + " '" + pdf + "' '" + out + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::string pgm = ReadFileBytes(out + ".pgm");
  // Binary PGM: "P5\n<width> <height>\n255\n" then one byte per pixel.
  int width = 0, height = 0, max = 0, header = 0;
  EXPECT_EQ(std::sscanf(pgm.c_str(), "P5 %d %d %d%n", &width, &height, &max, &header), 3);
  const unsigned char* pixels = reinterpret_cast<const unsigned char*>(pgm.data()) + header + 1;
  int dark = 0;
  for (int row = y; row < y + h && row < height; ++row) {
    for (int col = x; col < x + w && col < width; ++col) dark += pixels[row * width + col] < 128;
  }
  return dark;
}

TEST_F(DocumentFinalizerTest, ChecksAndSenderTextAreDrawnInTheirBoxes) {
  FinalizeInput in = Input();
  in.signers[1].fields = {{SignaturePlacement{0, 3, 100, 600, 20, 20}, StampKind::kCheck, ""}};
  in.sender_fields = {{SignaturePlacement{0, 3, 300, 600, 20, 20}, StampKind::kCheck, ""},
                      {SignaturePlacement{0, 3, 100, 650, 300, 24}, StampKind::kText,
                       "Merged value", PdfFont::kCourier, 14}};
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf")));
  EXPECT_GT(DarkPixels(Path("final.pdf"), 3, 100, 600, 20, 20), 15);  // the signer's check
  EXPECT_GT(DarkPixels(Path("final.pdf"), 3, 300, 600, 20, 20), 15);  // the sender's check
  EXPECT_EQ(DarkPixels(Path("final.pdf"), 3, 200, 600, 20, 20), 0);   // nothing between
  testing::CommandResult page3 =
      RunCommand("pdftotext -enc UTF-8 -f 3 -l 3 '" + Path("final.pdf") + "' -");
  EXPECT_NE(page3.output.find("Merged value"), std::string::npos) << page3.output;
  testing::CommandResult fonts = RunCommand("pdffonts -f 3 -l 3 '" + Path("final.pdf") + "'");
  EXPECT_NE(fonts.output.find("Courier"), std::string::npos) << fonts.output;
  // Merge fields hold text or checks only.
  in.sender_fields[0].kind = StampKind::kInitials;
  EXPECT_EQ(ValidateFinalizeInput(in).code(), Code::kInvalidArgument);
}

TEST_F(DocumentFinalizerTest, PlacementOutsideThePageIsRejected) {
  auto expect_rejected = [&](SignaturePlacement at) {
    FinalizeInput in = Input();
    in.signers[0].placement = at;
    Status st = finalizer_->Finalize(in, Path("final.pdf"));
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << st.ToString();
    EXPECT_FALSE(fs::exists(Path("final.pdf")));
  };
  expect_rejected({0, 1, 500, 100, 200, 40});  // beyond the right edge of 612
  expect_rejected({0, 1, 100, 770, 200, 40});  // below the bottom
  expect_rejected({1, 1, 100, 820, 100, 40});  // the annex is A4: 842 high
  expect_rejected({0, 4, 100, 100, 200, 40});  // the contract has 3 pages
  expect_rejected({2, 1, 100, 100, 200, 40});  // no third document
  expect_rejected({0, 0, 100, 100, 200, 40});  // pages are 1-based
  expect_rejected({0, 1, -5, 100, 200, 40});
  expect_rejected({0, 1, 100, 100, 0, 40});
  // The bottom-right corner exactly is fine.
  FinalizeInput in = Input();
  in.signers[0].placement = SignaturePlacement{0, 1, 412, 752, 200, 40};
  EXPECT_OK(finalizer_->Finalize(in, Path("final.pdf")));
}

TEST_F(DocumentFinalizerTest, MissingSignatureIsRejected) {
  FinalizeInput in = Input();
  in.signers[0].typed = "  ";
  EXPECT_EQ(finalizer_->Finalize(in, Path("final.pdf")).code(), Code::kInvalidArgument);
  in = Input();
  in.signers[1].drawn.clear();
  EXPECT_EQ(finalizer_->Finalize(in, Path("final.pdf")).code(), Code::kInvalidArgument);
}

TEST_F(DocumentFinalizerTest, UnreadableDocumentIsInternal) {
  FinalizeInput in = Input();
  WriteFileBytes(Path("broken.pdf"), "not a pdf at all");
  in.documents[1].path = Path("broken.pdf");
  EXPECT_EQ(finalizer_->Finalize(in, Path("final.pdf")).code(), Code::kInternal);
  EXPECT_FALSE(fs::exists(Path("final.pdf")));
}

TEST_F(DocumentFinalizerTest, UnicodeTextDoesNotBreakAnything) {
  FinalizeInput in = Input();
  in.title = "Vertrag \u00fcber M\u00f6bel \u5951\u7d04 \U0001F600 (\xff\xfe bad utf-8)";
  in.signers[0].name = "Zo\u00eb \u5c71\u7530";
  in.signers[0].typed = "\u5c71\u7530 \u592a\u90ce";
  in.signers[1].name = "\u00c9lodie \u2014 \u041f\u0451\u0442\u0440";
  in.events[1].user_agent = "Agent \u2603 \U0001F680";
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf")));
  std::string text = PdfText(Path("final.pdf"));
  EXPECT_NE(text.find("Zo\u00eb"), std::string::npos) << text;
  EXPECT_NE(text.find("Vertrag \u00fcber M\u00f6bel"), std::string::npos) << text;
  EXPECT_NE(text.find("\u00c9lodie \u2014"), std::string::npos) << text;
}

TEST_F(DocumentFinalizerTest, PlacementFollowsTheDisplayedPage) {
  // Landscape shown by /Rotate 90 of a portrait media box: displayed 792 wide, 612 high.
  WriteTestPdf(Path("rotated.pdf"), 1, "rotated", 612, 792, 90);
  FinalizeInput in = Input();
  in.documents = {{Path("rotated.pdf"), "rotated.pdf", std::string(64, 'a')}};
  in.signers[0].placement = SignaturePlacement{0, 1, 600, 500, 150, 40};
  in.signers[0].typed = "Rotated";
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  // pdftotext -bbox reports words in displayed coordinates (top-left origin).
  testing::CommandResult r = RunCommand("pdftotext -bbox -f 1 -l 1 '" + Path("final.pdf") + "' -");
  size_t word = r.output.find(">Rotated</word>");
  ASSERT_NE(word, std::string::npos) << r.output;
  size_t tag = r.output.rfind("<word", word);
  double x_min = 0, y_min = 0, x_max = 0, y_max = 0;
  ASSERT_EQ(
      sscanf(r.output.c_str() + tag, "<word xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
             &x_min, &y_min, &x_max, &y_max),
      4)
      << r.output.substr(tag, 100);
  EXPECT_GE(x_min, 600);
  EXPECT_LE(x_max, 750);
  EXPECT_GE(y_min, 500);
  EXPECT_LE(y_max, 540);
  // A placement fitting portrait but not the displayed landscape page is rejected.
  in.signers[0].placement = SignaturePlacement{0, 1, 100, 650, 150, 40};
  EXPECT_EQ(finalizer_->Finalize(in, Path("final2.pdf")).code(), Code::kInvalidArgument);
}

TEST_F(DocumentFinalizerTest, FormsAreFlattenedAndOnlyTheSealRemains) {
  testing::WriteFormPdf(Path("form.pdf"));
  FinalizeInput in = Input();
  in.documents[1] = {Path("form.pdf"), "form.pdf", std::string(64, 'f')};
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  std::string output;
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf"), &output)) << output;
  EXPECT_NE(output.find("Signature #1"), std::string::npos) << output;
  EXPECT_EQ(output.find("Signature #2"), std::string::npos) << output;
  EXPECT_NE(PdfText(Path("final.pdf")).find("Filled in"), std::string::npos);
}

// A one-page PDF whose catalog, page and annotations carry JavaScript, beside a plain link.
void WriteScriptedPdf(const std::string& path) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFObjectHandle js = pdf.makeIndirectObject(
      QPDFObjectHandle::parse("<< /S /JavaScript /JS (app.alert\\(1\\)) >>"));
  QPDFObjectHandle page = pdf.makeIndirectObject(
      QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 612 792] /Resources << >> >>"));
  page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, "0 0 m 100 100 l S"));
  page.replaceKey("/AA", QPDFObjectHandle::parse("<< /O << /S /JavaScript /JS (1) >> >>"));
  QPDFObjectHandle annots = QPDFObjectHandle::newArray();
  QPDFObjectHandle scripted = QPDFObjectHandle::parse(
      "<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /Border [0 0 0] >>");
  scripted.replaceKey("/A", js);
  scripted.replaceKey("/AA", QPDFObjectHandle::parse("<< /E << /S /JavaScript /JS (2) >> >>"));
  annots.appendItem(pdf.makeIndirectObject(scripted));
  QPDFObjectHandle link = QPDFObjectHandle::parse(
      "<< /Type /Annot /Subtype /Link /Rect [60 0 110 50] /Border [0 0 0] /A << /S /URI "
      "/URI (https://example.com/) /Next << /S /JavaScript /JS (3) >> >> >>");
  annots.appendItem(pdf.makeIndirectObject(link));
  page.replaceKey("/Annots", annots);
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
  QPDFObjectHandle root = pdf.getRoot();
  root.replaceKey("/OpenAction", js);
  root.replaceKey("/AA", QPDFObjectHandle::parse("<< /WC << /S /JavaScript /JS (4) >> >>"));
  root.replaceKey("/Names", QPDFObjectHandle::parse("<< /JavaScript << >> >>"));
  root.getKey("/Names")
      .getKey("/JavaScript")
      .replaceKey("/Names", QPDFObjectHandle::newArray({QPDFObjectHandle::newString("a"), js}));
  QPDFWriter writer(pdf, path.c_str());
  writer.write();
}

// Calls `visit` on every dictionary (and stream dictionary) reachable from `object`, direct
// or indirect, once each.
void ForEachDictionary(QPDFObjectHandle object, const std::function<void(QPDFObjectHandle)>& visit,
                       std::set<QPDFObjGen>* seen_in = nullptr) {
  std::set<QPDFObjGen> own;
  std::set<QPDFObjGen>& seen = seen_in ? *seen_in : own;
  if (object.isIndirect() && !seen.insert(object.getObjGen()).second) return;
  if (object.isStream()) object = object.getDict();
  if (object.isArray()) {
    for (QPDFObjectHandle item : object.aitems()) ForEachDictionary(item, visit, &seen);
  } else if (object.isDictionary()) {
    visit(object);
    for (const std::string& key : object.getKeys()) {
      if (key != "/Parent") ForEachDictionary(object.getKey(key), visit, &seen);
    }
  }
}

TEST_F(DocumentFinalizerTest, ScriptsAndActionsAreStrippedLinksKept) {
  WriteScriptedPdf(Path("scripted.pdf"));
  {
    QPDF in;
    in.processFile(Path("scripted.pdf").c_str());
    int scripts_in = 0;
    ForEachDictionary(in.getTrailer(),
                      [&](QPDFObjectHandle dict) { scripts_in += dict.hasKey("/JS"); });
    ASSERT_EQ(scripts_in, 5) << "the walk sees every script of the input";
  }
  FinalizeInput in = Input();
  in.documents[1] = {Path("scripted.pdf"), "scripted.pdf", std::string(64, 'e')};
  ASSERT_OK(finalizer_->Finalize(in, Path("final.pdf")));
  EXPECT_TRUE(PdfsigSaysValid(Path("final.pdf")));
  QPDF out;
  out.processFile(Path("final.pdf").c_str());
  int scripts = 0, uris = 0, additional_actions = 0;
  ForEachDictionary(out.getTrailer(), [&](QPDFObjectHandle dict) {
    if (dict.hasKey("/JS") || dict.getKey("/S").isNameAndEquals("/JavaScript")) ++scripts;
    if (dict.hasKey("/AA") || dict.hasKey("/OpenAction") || dict.hasKey("/Next")) {
      ++additional_actions;
    }
    if (dict.getKey("/S").isNameAndEquals("/URI")) ++uris;
  });
  EXPECT_EQ(scripts, 0);
  EXPECT_EQ(additional_actions, 0);
  EXPECT_EQ(uris, 1) << "the plain link survives";
}

TEST_F(DocumentFinalizerTest, ConcurrentCallsAreIndependent) {
  std::vector<std::thread> threads;
  std::vector<Status> results(4);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([this, i, &results] {
      FinalizeInput in = Input();
      in.test_mode = i % 2 == 1;
      results[i] = finalizer_->Finalize(in, Path("final" + std::to_string(i) + ".pdf"));
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) {
    EXPECT_TRUE(results[i].ok()) << results[i].ToString();
    EXPECT_TRUE(PdfsigSaysValid(Path("final" + std::to_string(i) + ".pdf")));
  }
}

}  // namespace
}  // namespace countersign
