// The Send form's values as a draft edit (web/send_form): what the Send page and a draft's
// prepare page make of what a sender typed.
#include "web/send_form.h"

#include <gtest/gtest.h>

namespace countersign::web {
namespace {

using V = std::vector<std::string>;

TEST(SendFormEditTest, BlankRowsDropOutAndTheOrderFollowsTheRows) {
  SendFormValues v;
  v.title = "  Lease ";
  v.signers = {{"Ann", "ann@example.com", ""}, {"", "", ""}, {" Bob ", " bob@example.com ", ""}};
  v.cc_emails = "c1@example.com, c2@example.com";
  v.ordered = true;
  v.test_mode = true;
  v.expires_on = "2031-02-03";
  StatusOr<DraftEdit> edit = EditOf(v);
  ASSERT_TRUE(edit.ok()) << edit.status().ToString();
  EXPECT_EQ(edit->title, "Lease");
  ASSERT_EQ(edit->signers.size(), 2u);
  EXPECT_EQ(edit->signers[1].name, "Bob");
  EXPECT_EQ(edit->signers[1].email, "bob@example.com");
  EXPECT_EQ(edit->signers[0].order, std::optional<int64_t>(0));
  EXPECT_EQ(edit->signers[1].order, std::optional<int64_t>(1));
  EXPECT_EQ(edit->cc_emails, V({"c1@example.com", "c2@example.com"}));
  EXPECT_TRUE(edit->test_mode);
  // The end of that day, UTC: 2031-02-03T23:59:59Z.
  EXPECT_EQ(edit->expires_at, std::optional<int64_t>(1927929599));
}

TEST(SendFormEditTest, UnorderedSignersHaveNoOrderAndTemplateRolesStayEvenWhenBlank) {
  SendFormValues v;
  v.signers = {{"Ann", "ann@example.com", "Client"}, {"", "", "Witness"}};
  v.role_ccs = {{"", " boss@example.com ", "Manager"}};
  StatusOr<DraftEdit> edit = EditOf(v);
  ASSERT_TRUE(edit.ok());
  ASSERT_EQ(edit->signers.size(), 2u);
  EXPECT_EQ(edit->signers[1].role, "Witness");
  EXPECT_FALSE(edit->signers[0].order.has_value());
  ASSERT_EQ(edit->role_ccs.size(), 1u);
  EXPECT_EQ(edit->role_ccs[0],
            std::make_pair(std::string("Manager"), std::string("boss@example.com")));
  EXPECT_FALSE(edit->expires_at.has_value());
}

TEST(SendFormEditTest, AnExpiryThatIsNoDateIsRefusedWithItsPath) {
  SendFormValues v;
  v.expires_on = "next week";
  StatusOr<DraftEdit> edit = EditOf(v);
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(edit.status().path(), "expires_at");
}

}  // namespace
}  // namespace countersign::web
