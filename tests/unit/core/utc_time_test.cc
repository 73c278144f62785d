#include "core/utc_time.h"

#include <gtest/gtest.h>

namespace countersign {
namespace {

TEST(UtcTimeTest, FormatsInUtcOrFallsBack) {
  EXPECT_EQ(FormatUtc(1741953600, "%Y-%m-%d %H:%M:%S UTC", "?"), "2025-03-14 12:00:00 UTC");
  EXPECT_EQ(FormatUtc(0, "%d / %m / %Y", "?"), "01 / 01 / 1970");
  EXPECT_EQ(FormatUtc(0, "", "fallback"), "fallback");  // nothing to write
}

}  // namespace
}  // namespace countersign
