#include "core/json_dump.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <random>

namespace countersign {
namespace {

TEST(JsonDumpTest, MatchesNlohmannDump) {
  nlohmann::json v = nlohmann::json::parse(
      R"({"a":"plain","b":"quote \" and \\ and \n tab\t","c":[1,-2,true,false,null,1.5],
          "d":{"nested":"é ü 日本"},"e":18446744073709551615,"f":{}, "g":[]})");
  EXPECT_EQ(DumpJson(v), v.dump());
}

TEST(JsonDumpTest, InvalidUtf8IsReplacedNotThrown) {
  nlohmann::json v = {{"name", std::string("bad \xff byte")}};
  std::string out = DumpJson(v);
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos) << out;  // U+FFFD
  EXPECT_FALSE(nlohmann::json::parse(out, nullptr, false).is_discarded());
}

bool IsPlainByByte(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

TEST(JsonDumpTest, IsPlainJsonTextAsByteByByte) {
  // Every byte value at every position of strings up to 24 long, among plain bytes next to the
  // boundaries the word test must not mistake ('!' after '"' etc.).
  for (size_t size = 1; size <= 24; ++size) {
    for (size_t at = 0; at < size; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string text(size, '~');
        for (size_t i = 0; i < size; ++i) text[i] = "~ !#[]}"[i % 7];
        text[at] = static_cast<char>(b);
        ASSERT_EQ(IsPlainJsonText(text), IsPlainByByte(text)) << size << " " << at << " " << b;
      }
    }
  }
  std::string all;
  for (int c = 0x20; c < 0x7f; ++c) {
    if (c != '"' && c != '\\') all.push_back(static_cast<char>(c));
  }
  EXPECT_TRUE(IsPlainJsonText(all));
  EXPECT_TRUE(IsPlainJsonText(""));
  std::mt19937 rng(7);
  for (int round = 0; round < 100000; ++round) {
    std::string text(rng() % 40, ' ');
    for (char& c : text) c = static_cast<char>(0x1e + rng() % 0x64);  // mostly printable
    ASSERT_EQ(IsPlainJsonText(text), IsPlainByByte(text)) << text;
    std::string out;
    AppendJsonString(text, out);
    ASSERT_EQ(out,
              nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

std::string NumberText(double value) {
  std::string out = "x";  // appends, does not replace
  AppendJsonNumber(value, out);
  return out.substr(1);
}

TEST(JsonDumpTest, AppendJsonNumberWritesNlohmannsText) {
  using Limits = std::numeric_limits<double>;
  for (double v : {0.0,
                   -0.0,
                   1.0,
                   -1.0,
                   0.5,
                   0.1,
                   1e-4,
                   1e-5,
                   1.5e-5,
                   123456789012345.0,
                   1e15,
                   1e16,
                   1e17,
                   1.25e21,
                   1e22,
                   1e23,
                   1e300,
                   1e-300,
                   Limits::max(),
                   Limits::lowest(),
                   Limits::min(),
                   Limits::denorm_min(),
                   Limits::epsilon(),
                   0.30000000000000004}) {
    EXPECT_EQ(NumberText(v), nlohmann::json(v).dump()) << v;
  }
  EXPECT_EQ(NumberText(Limits::quiet_NaN()), "null");
  EXPECT_EQ(NumberText(Limits::infinity()), "null");
  EXPECT_EQ(NumberText(-Limits::infinity()), "null");
  EXPECT_EQ(NumberText(0.25), "0.25");
  EXPECT_EQ(NumberText(3.0), "3.0");
}

TEST(JsonDumpTest, AppendJsonNumberMatchesOverManyValues) {
  // Access-log durations (nanoseconds / 1e6, as the server measures them), random doubles of
  // every magnitude, and random bit patterns.
  for (int64_t ns = 0; ns < 200000; ns += 7) {
    const double ms = static_cast<double>(ns) / 1e6;
    ASSERT_EQ(NumberText(ms), nlohmann::json(ms).dump()) << ns;
  }
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-320, 308);
  for (int i = 0; i < 200000; ++i) {
    const double scaled = unit(rng) * std::pow(10.0, exponent(rng));
    ASSERT_EQ(NumberText(scaled), nlohmann::json(scaled).dump()) << scaled;
    const double bits = std::bit_cast<double>(rng());
    ASSERT_EQ(NumberText(bits), nlohmann::json(bits).dump()) << bits;
  }
}

TEST(JsonDumpTest, FloatsInsideDumpJsonAsNlohmann) {
  nlohmann::json v = {{"a", 0.1}, {"b", -2.5e-7}, {"c", 1e16}, {"d", NAN}, {"e", 3.0}};
  EXPECT_EQ(DumpJson(v), v.dump());
}

}  // namespace
}  // namespace countersign
