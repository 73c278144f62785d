// Lists in form fields (web/text_lists): what a textarea or a comma-separated field becomes, and
// how a list is shown.
#include "web/text_lists.h"

#include <gtest/gtest.h>

namespace countersign::web {
namespace {

using V = std::vector<std::string>;

TEST(SplitTrimmedTest, SplitsOnAnySeparatorAndDropsBlanks) {
  EXPECT_EQ(SplitTrimmed("a@x.io, b@x.io;c@x.io\n\n d@x.io ", ",; \n\t"),
            V({"a@x.io", "b@x.io", "c@x.io", "d@x.io"}));
  EXPECT_EQ(SplitTrimmed("  Client \r\n\nWitness\t\n", "\n"), V({"Client", "Witness"}));
  EXPECT_EQ(SplitTrimmed("", ","), V());
  EXPECT_EQ(SplitTrimmed(" , ,", ","), V());
}

TEST(JoinedListTest, CommaSeparatedInOrder) {
  EXPECT_EQ(JoinedList(V({"Client", "Witness", "Notary"})), "Client, Witness, Notary");
  EXPECT_EQ(JoinedList(V({"one"})), "one");
  EXPECT_EQ(JoinedList(V()), "");
  EXPECT_EQ(JoinedList(V({"", "b"})), "b");  // an empty item adds no separator before it
}

}  // namespace
}  // namespace countersign::web
