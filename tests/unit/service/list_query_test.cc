#include "service/list_query.h"

#include <gtest/gtest.h>

namespace countersign {
namespace {

TEST(ListQueryTest, FieldsAndWords) {
  RequestListFilter f;
  ASSERT_TRUE(ParseListQuery("title:foo bar AND to:A+b@X.com from:me@x.com \"two words\"", f).ok());
  EXPECT_EQ(f.title_terms, std::vector<std::string>{"foo"});
  EXPECT_EQ(f.to_emails, std::vector<std::string>{"a+b@x.com"});
  EXPECT_EQ(f.from_emails, std::vector<std::string>{"me@x.com"});
  EXPECT_EQ(f.words, (std::vector<std::string>{"bar", "two words"}));
}

TEST(ListQueryTest, EmptyFieldValueIsAnError) {
  RequestListFilter f;
  EXPECT_EQ(ParseListQuery("to:", f).path(), "query");
}

}  // namespace
}  // namespace countersign
