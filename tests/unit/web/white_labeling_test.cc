// The app's white_labeling_options as CSS: colours land on their selectors, anything that is
// not a #rrggbb colour is left out.
#include "web/white_labeling.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace countersign::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(WhiteLabelingTest, ColoursLandOnTheirSelectors) {
  std::string css = WhiteLabelCss(
      R"({"primary_button_color":"#00B3E6","page_background_color":"#F7F8F9","link_color":"#123abc"})");
  EXPECT_THAT(css, HasSubstr("button.primary { background: #00B3E6; }"));
  EXPECT_THAT(css, HasSubstr("button.primary { border-color: #00B3E6; }"));
  EXPECT_THAT(css, HasSubstr("body { background: #F7F8F9; }"));
  EXPECT_THAT(css, HasSubstr("a { color: #123abc; }"));
}

TEST(WhiteLabelingTest, AnythingButAColourIsLeftOut) {
  EXPECT_EQ(WhiteLabelCss(""), "");
  EXPECT_EQ(WhiteLabelCss("not json"), "");
  EXPECT_EQ(WhiteLabelCss("[1]"), "");
  std::string css = WhiteLabelCss(
      R"({"primary_button_color":"red;}</style><script>","link_color":"#12345","text_color1":7})");
  EXPECT_EQ(css, "");
  EXPECT_THAT(WhiteLabelCss(R"j({"text_color1":"#000000","link_color":"url(x)"})j"),
              Not(HasSubstr("url(")));
}

}  // namespace
}  // namespace countersign::web
