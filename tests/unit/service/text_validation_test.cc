#include "service/text_validation.h"

#include <gtest/gtest.h>

#include <string>

namespace countersign {
namespace {

void ExpectRefused(const std::string& text, bool multiline = false) {
  Status st = CheckPlainText(text, "title", multiline);
  EXPECT_EQ(st.code(), Code::kInvalidArgument) << "accepted: " << text;
  EXPECT_EQ(st.path(), "title");
}

TEST(CheckPlainTextTest, AcceptsOrdinaryTextInAnyScript) {
  for (const std::string& text :
       {std::string(""), std::string("Lease 2024 (renewal) #3"),
        std::string("Contrat d\u2019\u00e9t\u00e9 \u2014 \u00e7a"),
        std::string("\u05d7\u05d5\u05d6\u05d4 \u0639\u0642\u062f"),
        std::string("\u5951\u7d04\u66f8"), std::string("emoji \U0001F58A\uFE0F"),
        std::string("RLM \u200F and LRM \u200E marks")}) {
    EXPECT_TRUE(CheckPlainText(text, "title").ok()) << text;
  }
  EXPECT_TRUE(CheckPlainText("line\r\n\tindented\n", "message", true).ok());
}

TEST(CheckPlainTextTest, RefusesControlCharacters) {
  ExpectRefused(std::string("a\0b", 3));
  ExpectRefused(std::string("a\0b", 3), true);
  ExpectRefused("bell\a");
  ExpectRefused("esc\x1b[31m");
  ExpectRefused("line\nbreak");
  ExpectRefused("tab\there");
  ExpectRefused("del\x7f");
  ExpectRefused("c1 \u0085 next line", true);
  ExpectRefused("c1 \u009b csi", true);
}

TEST(CheckPlainTextTest, RefusesBidiOverridesAndIsolates) {
  for (const char* c :
       {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}) {
    ExpectRefused(std::string("invoice") + c + "fdp.exe");
    ExpectRefused(std::string("invoice") + c + "fdp.exe", true);
  }
  Status st = CheckPlainText("x\u202Ey", "signers[0].name");
  EXPECT_EQ(st.path(), "signers[0].name");
  EXPECT_NE(st.message().find("bidirectional"), std::string::npos);
}

TEST(CheckPlainTextTest, RefusesInvalidUtf8) {
  ExpectRefused("\xc3(");             // a lead byte without its continuation
  ExpectRefused("\xc3");              // cut short at the end
  ExpectRefused("\x80");              // a lone continuation byte
  ExpectRefused("\xc0\xaf");          // overlong '/'
  ExpectRefused("\xe0\x80\xaf");      // overlong, three bytes
  ExpectRefused("\xed\xa0\x80");      // a UTF-16 surrogate
  ExpectRefused("\xf4\x90\x80\x80");  // past U+10FFFF
  ExpectRefused("\xff");              // never valid
  Status st = CheckPlainText("\xff", "subject");
  EXPECT_NE(st.message().find("UTF-8"), std::string::npos);
}

TEST(TextValidationTest, CharacterCountCountsCodePointsNotBytes) {
  EXPECT_EQ(CharacterCount(""), 0u);
  EXPECT_EQ(CharacterCount("abc"), 3u);
  EXPECT_EQ(CharacterCount("J\xC3\xBCrgen"), 6u);             // "Jürgen"
  EXPECT_EQ(CharacterCount("\xE5\x90\x8D\xE5\x90\x8D"), 2u);  // two CJK characters, 6 bytes
  EXPECT_EQ(CharacterCount("\xF0\x9F\x96\x8A"), 1u);          // U+1F58A, 4 bytes
}

}  // namespace
}  // namespace countersign
