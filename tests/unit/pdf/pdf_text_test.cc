#include "pdf/pdf_text.h"

#include <gtest/gtest.h>

#include <string>

namespace countersign {
namespace {

TEST(PdfTextTest, ConvertsUtf8ToWinAnsi) {
  EXPECT_EQ(ToWinAnsi("abc"), "abc");
  EXPECT_EQ(ToWinAnsi("Zo\u00eb"), "Zo\xeb");
  EXPECT_EQ(ToWinAnsi("a\u2014b \u20ac"),
            "a\x97"
            "b \x80");
  EXPECT_EQ(ToWinAnsi("\u5c71\U0001F600"), "??");
  EXPECT_EQ(ToWinAnsi("tab\there\nnl"), "tab here nl");
  EXPECT_EQ(ToWinAnsi("bad \xff\xc3"), "bad ??");
}

TEST(PdfTextTest, EscapesLiterals) {
  EXPECT_EQ(PdfLiteral("a(b)c\\d"), "(a\\(b\\)c\\\\d)");
  EXPECT_EQ(PdfLiteral("\xe9\x01"), "(\\351\\001)");
}

TEST(PdfTextTest, MeasuresAndWraps) {
  EXPECT_DOUBLE_EQ(TextWidth(PdfFont::kCourier, "abcd", 10), 24);
  EXPECT_DOUBLE_EQ(TextWidth(PdfFont::kHelvetica, "Wi", 10), 9.44 + 2.22);
  std::vector<std::string> lines = WrapText(PdfFont::kCourier, 10, 60, "aaaa bbbb cccccccccccccc");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "aaaa bbbb");
  EXPECT_EQ(lines[1], "cccccccccc");
  EXPECT_EQ(lines[2], "cccc");
  EXPECT_EQ(WrapText(PdfFont::kCourier, 10, 60, "").size(), 1u);
  EXPECT_EQ(Ellipsize(PdfFont::kCourier, 10, 60, "abcdefghijklmnop"), "abcdefg...");
}

TEST(PdfTextTest, FormatsNumbersAndDates) {
  EXPECT_EQ(PdfNumber(1.5), "1.5");
  EXPECT_EQ(PdfNumber(2), "2");
  EXPECT_EQ(PdfNumber(-0.0001), "0");
  EXPECT_EQ(PdfNumber(0.12345), "0.123");
  EXPECT_EQ(FormatUtc(1714566896), "2024-05-01 12:34:56 UTC");
  EXPECT_EQ(PdfDate(1714566896), "D:20240501123456Z");
}

}  // namespace
}  // namespace countersign
