#include "service/signature_strokes.h"

#include <gtest/gtest.h>

#include <string>

namespace countersign {
namespace {

TEST(SignatureStrokesTest, AcceptsNormalisedStrokes) {
  EXPECT_TRUE(ValidStrokes("[[[0.1,0.2],[0.15,0.25]],[[0,0],[1,1]]]"));
  EXPECT_TRUE(ValidStrokes(" [[[1e-3, 1.0E0]]] "));
}

TEST(SignatureStrokesTest, RefusesWhatThePadCannotProduce) {
  for (const char* text :
       {"", "[]", "[[]]", "[[[0.1]]]", "[[[0.1,0.2,0.3]]]", "[[[-0.1,0.2]]]", "[[[0.1,1.5]]]",
        "[[[\"0.1\",0.2]]]", "[[0.1,0.2]]", "{\"a\":1}", "[[[0.1,0.2]]", "[[[0.1,0.2]]]x"}) {
    EXPECT_FALSE(ValidStrokes(text)) << text;
  }
}

TEST(SignatureStrokesTest, BoundsStrokesPointsAndSize) {
  auto strokes = [](int count, int points) {
    std::string stroke = "[";
    for (int p = 0; p < points; ++p) stroke += std::string(p ? "," : "") + "[0.5,0.5]";
    stroke += "]";
    std::string out = "[";
    for (int s = 0; s < count; ++s) out += (s ? "," : "") + stroke;
    return out + "]";
  };
  EXPECT_TRUE(ValidStrokes(strokes(200, 1)));
  EXPECT_FALSE(ValidStrokes(strokes(201, 1)));
  EXPECT_TRUE(ValidStrokes(strokes(1, 2000)));
  EXPECT_FALSE(ValidStrokes(strokes(1, 2001)));
  EXPECT_FALSE(ValidStrokes("[[[0.5,0.5]]]" + std::string(512 * 1024, ' ')));
}

}  // namespace
}  // namespace countersign
