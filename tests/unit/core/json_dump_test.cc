#include "core/json_dump.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace countersign
