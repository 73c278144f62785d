#include "pdf/text_tags.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "pdf/pdf_test_util.h"
#include "pdf/pdf_text.h"
#include "pdf/poppler_messages.h"
#include "testing/text_pdf.h"

namespace countersign {
namespace {

namespace fs = std::filesystem;

class TextTagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cs_tags_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::vector<std::string>& pages, const std::string& extra = "") {
    std::string path = (dir_ / ("in" + std::to_string(n_++) + ".pdf")).string();
    testing::WriteFileBytes(path, testing::TextPdf(pages, extra));
    return path;
  }

  std::vector<TextTag> Find(const std::string& path) {
    auto tags = FindTextTags(path);
    EXPECT_TRUE(tags.ok()) << tags.status().message();
    return tags.ok() ? *tags : std::vector<TextTag>();
  }

  std::string PdfToText(const std::string& path) {
    return testing::CollapseSpaces(testing::RunCommand("pdftotext -layout " + path + " -").output);
  }

  fs::path dir_;
  int n_ = 0;
};

// Helvetica at 12 pt: glyph boxes run from ascent 0.718 above to descent 0.207 below the
// baseline (poppler's metrics for the standard font); allow a point or two.
constexpr double kTolerance = 1.5;

TEST_F(TextTagsTest, FindsATagWithItsBoxInTopLeftPoints) {
  std::string path = Write({"BT /F1 12 Tf 100 700 Td (Sign here: ) Tj ([sig|req|signer1]) Tj ET",
                            "BT /F1 10 Tf 300 100 Td ([initial|noreq|signer2]) Tj ET"});
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].text, "[sig|req|signer1]");
  EXPECT_EQ(tags[0].page, 1);
  const double before = TextWidth(PdfFont::kHelvetica, "Sign here: ", 12);
  EXPECT_NEAR(tags[0].x, 100 + before, kTolerance);
  EXPECT_NEAR(tags[0].width, TextWidth(PdfFont::kHelvetica, "[sig|req|signer1]", 12), kTolerance);
  // Baseline at 792 - 700 = 92 points from the top.
  EXPECT_NEAR(tags[0].y, 92 - 0.718 * 12, kTolerance);
  EXPECT_NEAR(tags[0].y + tags[0].height, 92 + 0.207 * 12, kTolerance);
  EXPECT_EQ(tags[1].text, "[initial|noreq|signer2]");
  EXPECT_EQ(tags[1].page, 2);
  EXPECT_NEAR(tags[1].x, 300, kTolerance);
  EXPECT_NEAR(tags[1].y + tags[1].height, 692 + 0.207 * 10, kTolerance);
}

TEST_F(TextTagsTest, JoinsATagSplitAcrossOperatorsArrayElementsAndWords) {
  std::string path =
      Write({"BT /F1 12 Tf 72 700 Td [([sig|r) 0 (eq|sig)] TJ (ner1]) Tj ET "
             "BT /F1 12 Tf 72 650 Td ([text|noreq|signer2|Full name|name_id]) Tj ET "
             "BT /F1 12 Tf 72 600 Td ([date|req|signer1      ]) Tj ( after) Tj ET"});
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[0].text, "[sig|req|signer1]");
  EXPECT_NEAR(tags[0].x, 72, kTolerance);
  EXPECT_NEAR(tags[0].width, TextWidth(PdfFont::kHelvetica, "[sig|req|signer1]", 12), kTolerance);
  EXPECT_EQ(tags[1].text, "[text|noreq|signer2|Full name|name_id]");
  // Spaces inside the brackets widen the field (poppler may report them as one or none).
  EXPECT_TRUE(tags[2].text == "[date|req|signer1]" || tags[2].text == "[date|req|signer1 ]")
      << tags[2].text;
  EXPECT_NEAR(tags[2].width, TextWidth(PdfFont::kHelvetica, "[date|req|signer1      ]", 12),
              kTolerance);
}

TEST_F(TextTagsTest, IgnoresBracketsThatAreNotTags) {
  std::string path =
      Write({"BT /F1 12 Tf 72 700 Td ([a|b] [note] [x|y|z) Tj ET "
             "BT /F1 12 Tf 72 650 Td (see [1] and [sig|req|signer1]) Tj ET"});
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0].text, "[sig|req|signer1]");
}

TEST_F(TextTagsTest, SpansFollowTheRule) {
  auto spans = TextTagSpans(U"x [a|b|c] [d|e] [[f|g|h]] [i|j|k");
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0], std::make_pair(size_t{2}, size_t{9}));
  EXPECT_EQ(spans[1], std::make_pair(size_t{17}, size_t{24}));
}

TEST_F(TextTagsTest, MeasuresFromTheCropBoxAsDisplayed) {
  std::string path =
      Write({"BT /F1 12 Tf 100 700 Td ([sig|req|signer1]) Tj ET"}, "/CropBox [50 40 562 742]");
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_NEAR(tags[0].x, 50, kTolerance);
  EXPECT_NEAR(tags[0].y + tags[0].height, 742 - 700 + 0.207 * 12, kTolerance);

  // Turned a quarter clockwise: the text runs down the displayed page, so it is not read.
  std::string turned = Write({"BT /F1 12 Tf 100 700 Td ([sig|req|signer1]) Tj ET"}, "/Rotate 90");
  EXPECT_TRUE(Find(turned).empty());
  // Text set turned the other way on a turned page reads left to right as displayed.
  std::string upright =
      Write({"BT /F1 12 Tf 0 1 -1 0 500 100 Tm ([sig|req|signer1]) Tj ET"}, "/Rotate 90");
  tags = Find(upright);
  ASSERT_EQ(tags.size(), 1u);
  // Displayed: the user-space point (500, 100) is at x = 100, baseline 500 from the top.
  EXPECT_NEAR(tags[0].x, 100, kTolerance);
  EXPECT_NEAR(tags[0].y + tags[0].height, 500 + 0.207 * 12, kTolerance);
}

TEST_F(TextTagsTest, HidingRemovesTheTagsAndKeepsTheRestInPlace) {
  std::string path = Write(
      {"BT /F1 12 Tf 72 700 Td (Before [sig|req|signer1] after) Tj ET "
       "BT /F1 12 Tf 72 650 Td [(Name: [te) -250 (xt|noreq|sig)] TJ (ner1|Name]) Tj (Kept) Tj ET "
       "BT /F2 12 Tf 72 600 Td (\\001date\\002req\\002signer1\\003 Dated) Tj ET "
       "BT /F1 12 Tf 2 Tc 72 550 Td 14 TL ([check|req|signer1]Spaced) ' ET"});
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 4u) << PdfToText(path);
  EXPECT_EQ(tags[2].text, "[date|req|signer1]");  // through the /Differences glyph names
  auto before = FindTextTags(path);

  std::string out = (dir_ / "hidden.pdf").string();
  Status hidden = HideTextTags(path, out, tags);
  ASSERT_TRUE(hidden.ok()) << hidden.message();
  EXPECT_TRUE(Find(out).empty());
  std::string text = PdfToText(out);
  EXPECT_EQ(text.find("sig|req"), std::string::npos) << text;
  EXPECT_EQ(text.find("signer1"), std::string::npos) << text;
  EXPECT_EQ(text.find('['), std::string::npos) << text;
  for (const char* kept : {"Before", "after", "Name:", "Kept", "Dated", "Spaced"}) {
    EXPECT_NE(text.find(kept), std::string::npos) << kept << " in " << text;
  }
  EXPECT_EQ(testing::RunCommand("qpdf --check " + out).exit_code, 0);

  // The words after a tag have not moved: compare their boxes before and after.
  auto word_x = [&](const std::string& file, const std::string& word) {
    std::string bbox = testing::RunCommand("pdftotext -bbox " + file + " -").output;
    size_t at = bbox.find(">" + word + "<");
    if (at == std::string::npos) return -1.0;
    size_t start = bbox.rfind("xMin=\"", at);
    return std::stod(bbox.substr(start + 6));
  };
  for (const char* word : {"after", "Dated"}) {
    EXPECT_NEAR(word_x(out, word), word_x(path, word), 0.5) << word;
  }
  // Words that touched the tag start where the tag ended (the second with 2 points of Tc).
  EXPECT_NEAR(word_x(out, "Kept"), tags[1].x + tags[1].width, 0.5);
  EXPECT_NEAR(word_x(out, "Spaced"), tags[3].x + tags[3].width, 2.5);
}

// A document as cairo writes it (pdftocairo): subset fonts whose one-byte codes are glyph
// numbers, read through /ToUnicode.
TEST_F(TextTagsTest, HidesTagsInACairoWrittenPdf) {
  if (testing::RunCommand("command -v pdftocairo").exit_code != 0) GTEST_SKIP() << "no pdftocairo";
  std::string source =
      Write({"BT /F1 12 Tf 72 700 Td (Sign: [sig|req|signer1] thanks) Tj ET "
             "BT /F1 12 Tf 72 650 Td ([text|noreq|signer2|Name|name_id]) Tj ET"});
  std::string cairo = (dir_ / "cairo.pdf").string();
  ASSERT_EQ(testing::RunCommand("pdftocairo -pdf " + source + " " + cairo).exit_code, 0);
  std::vector<TextTag> tags = Find(cairo);
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].text, "[sig|req|signer1]");
  std::string out = (dir_ / "hidden.pdf").string();
  Status hidden = HideTextTags(cairo, out, tags);
  ASSERT_TRUE(hidden.ok()) << hidden.message();
  EXPECT_TRUE(Find(out).empty());
  std::string text = PdfToText(out);
  EXPECT_EQ(text.find("signer"), std::string::npos) << text;
  // ("S ign:": cairo's substitute font is narrower than the /Widths it writes.)
  EXPECT_NE(text.find("ign:"), std::string::npos) << text;
  EXPECT_NE(text.find("thanks"), std::string::npos) << text;
}

// Two-byte codes, as Chrome and Skia write: a Type0 font with Identity-H and /ToUnicode.
TEST_F(TextTagsTest, HidesTagsInAnIdentityHFont) {
  std::string path =
      Write({"BT /F4 12 Tf 72 700 Td " + testing::Utf16Hex("Sign: [sig|req|si") + " Tj [" +
             testing::Utf16Hex("gner1]") + " -100 " + testing::Utf16Hex(" thanks") + "] TJ ET"});
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 1u) << PdfToText(path);
  EXPECT_EQ(tags[0].text, "[sig|req|signer1]");
  std::string out = (dir_ / "hidden.pdf").string();
  Status hidden = HideTextTags(path, out, tags);
  ASSERT_TRUE(hidden.ok()) << hidden.message();
  EXPECT_TRUE(Find(out).empty());
  std::string text = PdfToText(out);
  EXPECT_EQ(text.find("signer"), std::string::npos) << text;
  EXPECT_NE(text.find("Sign:"), std::string::npos) << text;
  auto word_x = [&](const std::string& file) {
    std::string bbox = testing::RunCommand("pdftotext -bbox " + file + " -").output;
    size_t at = bbox.find(">thanks<");
    return at == std::string::npos ? -1.0 : std::stod(bbox.substr(bbox.rfind("xMin=\"", at) + 6));
  };
  EXPECT_NEAR(word_x(out), word_x(path), 0.5);
}

TEST_F(TextTagsTest, HidingRefusesATagItCannotRemove) {
  std::string path = Write({"q 1 0 0 1 100 600 cm /X1 Do Q"});
  std::vector<TextTag> tags = Find(path);
  ASSERT_EQ(tags.size(), 1u);
  Status hidden = HideTextTags(path, (dir_ / "out.pdf").string(), tags);
  EXPECT_EQ(hidden.code(), Code::kInvalidArgument);
  EXPECT_NE(hidden.message().find("\"[sig|req|signer1]\" on page 1 cannot be hidden"),
            std::string::npos)
      << hidden.message();

  std::string times = Write({"BT /F3 12 Tf 72 700 Td ([sig|req|signer1]) Tj ET"});
  tags = Find(times);
  ASSERT_EQ(tags.size(), 1u);
  hidden = HideTextTags(times, (dir_ / "out2.pdf").string(), tags);
  EXPECT_EQ(hidden.code(), Code::kInvalidArgument);
  EXPECT_NE(hidden.message().find("glyph widths of its font F3 (Times-Roman) are unknown"),
            std::string::npos)
      << hidden.message();
}

TEST_F(TextTagsTest, UnreadableFileIsAnError) {
  std::string path = (dir_ / "junk.pdf").string();
  testing::WriteFileBytes(path, "not a pdf");
  EXPECT_EQ(FindTextTags(path).status().code(), Code::kInvalidArgument);
}

// poppler's complaints about a document are log lines, not raw text on standard error.
TEST_F(TextTagsTest, PopplerMessagesDoNotReachStandardError) {
  const std::string path = Write({"BT /F9 12 Tf 72 700 Td ([sig|req|signer1]) Tj ET"});
  ::testing::internal::CaptureStderr();
  (void)FindTextTags(path);
  const std::string before = ::testing::internal::GetCapturedStderr();
  ASSERT_NE(before.find("F9"), std::string::npos) << "poppler no longer complains: " << before;
  SendPopplerMessagesToLog();
  ::testing::internal::CaptureStderr();
  (void)FindTextTags(path);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

}  // namespace
}  // namespace countersign
