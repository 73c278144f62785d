// Tests of FormRefusalOf: which service errors a page shows on its form again, with what status.
#include "web/form_refusal.h"

#include <gtest/gtest.h>

namespace countersign::web {
namespace {

TEST(FormRefusalTest, AWrongValueIs400AndNamesItsField) {
  std::optional<FormRefusal> refused =
      FormRefusalOf(InvalidArgument("Give at least one signer.", "signers"));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->http_status, 400);
  EXPECT_EQ(refused->message, "Give at least one signer. (signers)");
}

TEST(FormRefusalTest, WhatTheAccountMayNotDoIs403) {
  std::optional<FormRefusal> refused =
      FormRefusalOf(Status(Code::kPermissionDenied, "This app may not send."));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->http_status, 403);
  EXPECT_EQ(refused->message, "This app may not send.");
}

TEST(FormRefusalTest, OtherErrorsAreForTheErrorPage) {
  EXPECT_FALSE(FormRefusalOf(NotFound("No such draft.")).has_value());
  EXPECT_FALSE(FormRefusalOf(Internal("disk")).has_value());
  EXPECT_FALSE(FormRefusalOf(Status(Code::kUnavailable, "busy")).has_value());
  EXPECT_FALSE(FormRefusalOf(Status::Ok()).has_value());
}

}  // namespace
}  // namespace countersign::web
