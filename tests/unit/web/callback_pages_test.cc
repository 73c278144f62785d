// The event deliveries pages: owner-only app page, the account page, Resend and Send test event
// (CSRF-checked, 303 back), the disabled note, escaping, and the callback_test recorded when
// an app is created through the web form with an event callback URL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "web_fixture.h"

namespace countersign::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CallbackPagesTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    ASSERT_NO_FATAL_FAILURE(SignUp(dev_, "dev@example.com"));
    auto dev = accounts_->FindByEmail("dev@example.com");
    ASSERT_TRUE(dev.ok());
    dev_id_ = dev->id;
  }

  // An app of dev's with an event callback, and its callback_test delivery failed with
  // `error`.
  std::string AppWithFailedDelivery(const std::string& error) {
    AppFields fields;
    fields.name = "Hooks";
    fields.domains = std::vector<std::string>{"example.com"};
    fields.callback_url = "https://hooks.example/cb";
    auto app = apps_->Create(dev_id_, fields);
    EXPECT_TRUE(app.ok());
    EXPECT_TRUE(events_->AppCallbackSaved(app->app.client_id, dev_id_).ok());
    auto claimed = stores_.events->ClaimDue(clock_.NowSeconds(), 10, 60);
    EXPECT_TRUE(claimed.ok());
    EXPECT_EQ(claimed->size(), 1u);
    EXPECT_TRUE(stores_.events->MarkFailed((*claimed)[0].id, clock_.NowSeconds(), 502, error).ok());
    delivery_id_ = (*claimed)[0].id;
    return app->app.client_id;
  }

  std::vector<EventDelivery> AppDeliveries(const std::string& client_id) {
    auto recent = events_->RecentDeliveries(CallbackKind::kApp, client_id);
    EXPECT_TRUE(recent.ok());
    return *recent;
  }

  Browser dev_{router_};
  std::string dev_id_;
  std::string delivery_id_;
};

TEST_F(CallbackPagesTest, OwnerSeesTheDeliveriesEscaped) {
  const std::string client_id = AppWithFailedDelivery("<script>alert(1)</script>");
  http::Response page = dev_.Get("/apps/" + client_id + "/deliveries");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("id=\"delivery-" + delivery_id_ + "\" data-status=\"failed\""));
  EXPECT_THAT(page.body, HasSubstr("<code>callback_test</code>"));
  EXPECT_THAT(page.body, HasSubstr("<td class=\"response-code\">502</td>"));
  EXPECT_THAT(page.body, HasSubstr("2023-11-14 22:13:20 UTC"));  // the FakeClock's start
  EXPECT_THAT(page.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(page.body, HasSubstr("/deliveries/" + delivery_id_ + "/resend"));
  EXPECT_THAT(page.body, HasSubstr("https://hooks.example/cb"));
  EXPECT_THAT(dev_.Get("/apps/" + client_id).body,
              HasSubstr("href=\"/apps/" + client_id + "/deliveries\""));
}

TEST_F(CallbackPagesTest, OthersGetNotFound) {
  const std::string client_id = AppWithFailedDelivery("HTTP 502");
  Browser other(router_);
  ASSERT_NO_FATAL_FAILURE(SignUp(other, "other@example.com"));
  other.Get("/home");  // the logged-in session's csrf_token
  EXPECT_EQ(other.Get("/apps/" + client_id + "/deliveries").status, 404);
  EXPECT_EQ(
      other.Submit("/apps/" + client_id + "/deliveries/" + delivery_id_ + "/resend", {}).status,
      404);
  EXPECT_EQ(other.Submit("/apps/" + client_id + "/deliveries/test", {}).status, 404);
  // Nor can the other account resend it as if it were its own account callback's.
  EXPECT_EQ(other.Submit("/account/deliveries/" + delivery_id_ + "/resend", {}).status, 404);
  EXPECT_EQ(AppDeliveries(client_id)[0].status, DeliveryStatus::kFailed);
}

TEST_F(CallbackPagesTest, ResendAndTestAreCsrfCheckedAndRedirectBack) {
  const std::string client_id = AppWithFailedDelivery("HTTP 502");
  const std::string base = "/apps/" + client_id + "/deliveries";
  dev_.Get(base);
  EXPECT_EQ(dev_.Post(base + "/" + delivery_id_ + "/resend", {}).status, 403);
  http::Response resent = dev_.Submit(base + "/" + delivery_id_ + "/resend", {});
  ASSERT_EQ(resent.status, 303);
  EXPECT_EQ(HeaderOf(resent, "Location"), base);
  EXPECT_EQ(AppDeliveries(client_id)[0].status, DeliveryStatus::kPending);
  EXPECT_EQ(dev_.Submit(base + "/" + delivery_id_ + "/resend", {}).status, 404);  // not failed

  http::Response tested = dev_.Submit(base + "/test", {});
  ASSERT_EQ(tested.status, 303);
  auto all = AppDeliveries(client_id);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].event.event_type, "callback_test");
}

TEST_F(CallbackPagesTest, DisabledCallbackShowsANote) {
  const std::string client_id = AppWithFailedDelivery("HTTP 502");
  ASSERT_TRUE(stores_.events->SetCallbackDisabled(CallbackKind::kApp, client_id, true, 1).ok());
  EXPECT_THAT(dev_.Get("/apps/" + client_id + "/deliveries").body,
              HasSubstr("id=\"callback-disabled\""));
  ASSERT_EQ(dev_.Submit("/apps/" + client_id + "/deliveries/test", {}).status, 303);
  EXPECT_THAT(dev_.Get("/apps/" + client_id + "/deliveries").body,
              Not(HasSubstr("id=\"callback-disabled\"")));
}

TEST_F(CallbackPagesTest, AccountPageWithoutCallback) {
  http::Response page = dev_.Get("/account/deliveries");
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("id=\"no-callback\""));
  EXPECT_THAT(page.body, HasSubstr("id=\"no-deliveries\""));
  EXPECT_THAT(page.body, Not(HasSubstr("/account/deliveries/test")));
  EXPECT_EQ(dev_.Submit("/account/deliveries/test", {}).status, 400);
  EXPECT_THAT(dev_.Get("/home").body, HasSubstr("href=\"/account/deliveries\""));
  Browser anonymous(router_);
  EXPECT_EQ(anonymous.Get("/account/deliveries").status, 303);
}

TEST_F(CallbackPagesTest, CreatingAnAppWithACallbackThroughTheFormSendsATest) {
  dev_.Get("/apps/new");
  http::Response created =
      dev_.Submit("/apps", {{"name", "Form app"},
                            {"domains", "example.com"},
                            {"oauth_callback_url", "https://example.com/oauth"},
                            {"callback_url", "https://hooks.example/form"},
                            {"scopes", "basic_account_info"}});
  ASSERT_EQ(created.status, 200) << created.body;
  auto apps = apps_->List(dev_id_, 1, 10);
  ASSERT_TRUE(apps.ok());
  ASSERT_EQ(apps->apps.size(), 1u);
  auto all = AppDeliveries(apps->apps[0].client_id);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].event.event_type, "callback_test");
  EXPECT_EQ(all[0].url, "https://hooks.example/form");
}

}  // namespace
}  // namespace countersign::web
