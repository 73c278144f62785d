#include "store/sql/sql_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <random>

namespace countersign {
namespace {

// What FromJsonList answered before its fast path: nlohmann alone; nullopt for an error.
std::optional<std::vector<std::string>> Reference(std::string_view text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return std::nullopt;
  std::vector<std::string> values;
  for (const nlohmann::json& item : parsed) {
    if (!item.is_string()) return std::nullopt;
    values.push_back(item.get<std::string>());
  }
  return values;
}

void ExpectSameAsReference(std::string_view text) {
  StatusOr<std::vector<std::string>> got = FromJsonList(text);
  std::optional<std::vector<std::string>> want = Reference(text);
  ASSERT_EQ(got.ok(), want.has_value()) << "text: " << text;
  if (want) {
    EXPECT_EQ(*got, *want) << "text: " << text;
  }
  if (!want) {
    EXPECT_EQ(got.status().code(), Code::kInternal) << "text: " << text;
  }
}

TEST(SqlJsonTest, PlainListsRoundTrip) {
  for (const std::vector<std::string>& list : std::vector<std::vector<std::string>>{
           {},
           {""},
           {"basic_account_info"},
           {"basic_account_info", "signature_request_access"},
           {"https://a.example", "b.example:8443", "x y", "'~!@#$%^&*()_+{}|:<>?`-=[];,./"}}) {
    StatusOr<std::vector<std::string>> back = FromJsonList(ToJsonList(list));
    ASSERT_TRUE(back.ok()) << ToJsonList(list);
    EXPECT_EQ(*back, list);
  }
}

TEST(SqlJsonTest, EscapesAndUnicodeRoundTrip) {
  const std::vector<std::string> list = {
      "quote \" here", "back\\slash", "new\nline\ttab",      std::string("nul \0 byte", 10),
      "\x7f del",      "é ü 日本 😀",  "[\"not\",\"a list\"]"};
  StatusOr<std::vector<std::string>> back = FromJsonList(ToJsonList(list));
  ASSERT_TRUE(back.ok()) << ToJsonList(list);
  EXPECT_EQ(*back, list);
}

TEST(SqlJsonTest, EscapedTextIsDecoded) {
  StatusOr<std::vector<std::string>> got =
      FromJsonList(R"(["a\"b", "\u00e9\ud83d\ude00", "\/\b\f\n\r\t", "\\"])");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, (std::vector<std::string>{"a\"b", "é😀", "/\b\f\n\r\t", "\\"}));
}

TEST(SqlJsonTest, WhitespaceBetweenTokens) {
  StatusOr<std::vector<std::string>> got = FromJsonList(" \n[ \"a\" ,\t\"b\"\r\n] ");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, (std::vector<std::string>{"a", "b"}));
  got = FromJsonList("[ ]");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->empty());
}

TEST(SqlJsonTest, MalformedOrNotAListOfStringsIsInternal) {
  for (std::string_view text : {"",
                                " ",
                                "[",
                                "]",
                                "[\"a\"",
                                "[\"a\",]",
                                "[,]",
                                "[,\"a\"]",
                                "[\"a\" \"b\"]",
                                "[\"a\"]]",
                                "[\"a\"] x",
                                "[\"a\"],",
                                "{}",
                                "\"a\"",
                                "null",
                                "[1]",
                                "[\"a\",1]",
                                "[null]",
                                "[[\"a\"]]",
                                "[\"a]",
                                "[\"a\\\"]",
                                "[\"\\x\"]",
                                "[\"\\u12\"]",
                                "[\"raw\nnewline\"]",
                                "['a']",
                                "[\"\xff\"]",
                                "[\"\xc3\"]",
                                "[\"\xed\xa0\x80\"]",
                                "[\"a\"]\v"}) {
    StatusOr<std::vector<std::string>> got = FromJsonList(text);
    EXPECT_FALSE(got.ok()) << "text: " << text;
    if (!got.ok()) {
      EXPECT_EQ(got.status().code(), Code::kInternal);
    }
    ExpectSameAsReference(text);
  }
}

TEST(SqlJsonTest, AgreesWithNlohmannOnMutatedLists) {
  // Lists ToJsonList wrote, then one byte inserted, deleted or replaced: the fast path must
  // either give nlohmann's answer or leave the text to nlohmann.
  const std::string alphabet = "[]\",\\ \t\nau0\x7f\x01\xc3\xa9\xff{}:";
  const std::vector<std::string> words = {"", "a", "basic_account_info", "é", "q\"q", "b\\s"};
  std::mt19937 rng(16);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::string> list(pick(4));
    for (std::string& word : list) word = words[pick(words.size())];
    std::string text = ToJsonList(list);
    if (round % 5 != 0) {  // one in five unmutated
      const size_t at = pick(text.size() + 1);
      const char c = alphabet[pick(alphabet.size())];
      switch (pick(3)) {
        case 0:
          text.insert(text.begin() + at, c);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = c;
      }
    }
    ExpectSameAsReference(text);
    if (HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace countersign
