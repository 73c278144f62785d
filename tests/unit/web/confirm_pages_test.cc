// Email confirmation pages and the consent page for the app that created the account
// (docs/account-creation.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "web_fixture.h"

namespace countersign::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ConfirmPagesTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    ASSERT_NO_FATAL_FAILURE(SignUp(owner_, "owner@example.com"));
    app_ = MakeApp("owner@example.com", "Jill's <App>");
  }

  // An account created by app_ (POST /v3/account/create); returns its tokens.
  TokenResponse CreateWithApp(const std::string& email) {
    auto created =
        confirmations_->CreateForApi({email, "", app_.app.client_id, app_.client_secret});
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created->oauth : TokenResponse{};
  }

  // Opens the emailed link and sets `password`; returns the response to the POST.
  http::Response ConfirmWithPassword(Browser& browser, const std::string& token,
                                     const std::string& password) {
    http::Response form = browser.Get("/account/confirm?token=" + token);
    EXPECT_EQ(form.status, 200) << form.body;
    return browser.Submit("/account/confirm", {{"token", token}, {"password", password}});
  }

  Browser owner_{router_};
  NewApp app_;
};

TEST_F(ConfirmPagesTest, AppCreatedAccountSetsAPasswordThenAcceptsTheApp) {
  TokenResponse tokens = CreateWithApp("jill@example.com");
  std::string token = ConfirmationToken("jill@example.com");
  Browser jill(router_);
  http::Response form = jill.Get("/account/confirm?token=" + token);
  ASSERT_EQ(form.status, 200);
  EXPECT_THAT(form.body, HasSubstr("<strong id=\"confirm-email\">jill@example.com</strong>"));
  EXPECT_THAT(form.body, HasSubstr("Jill&#39;s &lt;App&gt;"));
  EXPECT_THAT(form.body, HasSubstr("id=\"password\""));
  EXPECT_THAT(form.body, HasSubstr(">Set password and confirm</button>"));
  EXPECT_EQ(HeaderOf(form, "X-Frame-Options"), "DENY");

  http::Response no_password = jill.Submit("/account/confirm", {{"token", token}});
  EXPECT_EQ(no_password.status, 400);
  EXPECT_THAT(no_password.body, HasSubstr("class=\"error\""));
  EXPECT_EQ(jill.Submit("/account/confirm", {{"token", token}, {"password", "short"}}).status, 400);

  http::Response done =
      jill.Submit("/account/confirm", {{"token", token}, {"password", "correct horse battery"}});
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(HeaderOf(done, "Location"), "/account/authorize?client_id=" + app_.app.client_id);
  EXPECT_TRUE(accounts_->Authenticate("jill@example.com", "correct horse battery").ok());
  EXPECT_FALSE(oauth_->AuthenticateBearer(tokens.access_token).ok());  // not accepted yet

  http::Response consent = jill.Get(HeaderOf(done, "Location"));
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_THAT(consent.body, HasSubstr("<span id=\"app-name\">Jill&#39;s &lt;App&gt;</span>"));
  EXPECT_THAT(consent.body, HasSubstr("id=\"created-by-app\""));
  EXPECT_THAT(consent.body, HasSubstr("action=\"/account/authorize\""));
  EXPECT_THAT(consent.body, Not(HasSubstr("name=\"redirect_uri\"")));

  EXPECT_EQ(
      jill.Post("/account/authorize", {{"client_id", app_.app.client_id}, {"decision", "accept"}})
          .status,
      403);  // no CSRF token
  http::Response accepted = jill.Submit(
      "/account/authorize", {{"client_id", app_.app.client_id}, {"decision", "accept"}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_THAT(accepted.body, HasSubstr("You authorized Jill&#39;s &lt;App&gt;"));
  EXPECT_TRUE(oauth_->AuthenticateBearer(tokens.access_token).ok());
  EXPECT_EQ(jill.Get(HeaderOf(done, "Location")).status, 404);  // nothing pending any more

  // The link was used: opening it again says so.
  http::Response again = jill.Get("/account/confirm?token=" + token);
  EXPECT_EQ(again.status, 410);
  EXPECT_THAT(again.body, HasSubstr("Link already used"));
}

TEST_F(ConfirmPagesTest, DenyingRevokesTheAppsTokens) {
  TokenResponse tokens = CreateWithApp("jill@example.com");
  Browser jill(router_);
  ASSERT_EQ(ConfirmWithPassword(jill, ConfirmationToken("jill@example.com"), "long enough").status,
            303);
  jill.Get("/account/authorize?client_id=" + app_.app.client_id);
  http::Response denied =
      jill.Submit("/account/authorize", {{"client_id", app_.app.client_id}, {"decision", "deny"}});
  ASSERT_EQ(denied.status, 200) << denied.body;
  EXPECT_THAT(denied.body, HasSubstr("You denied"));
  EXPECT_FALSE(oauth_->AuthenticateBearer(tokens.access_token).ok());
  RefreshExchange refresh{tokens.refresh_token, app_.app.client_id, app_.client_secret};
  EXPECT_EQ(oauth_->Refresh(refresh).status().code(), Code::kInvalidGrant);
  EXPECT_EQ(jill.Get("/account/authorize?client_id=" + app_.app.client_id).status, 404);
}

TEST_F(ConfirmPagesTest, UnknownAndExpiredLinks) {
  Browser browser(router_);
  http::Response unknown = browser.Get("/account/confirm?token=nope");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body, HasSubstr("action=\"/account/confirm/resend\""));
  EXPECT_EQ(browser.Get("/account/confirm").status, 404);

  CreateWithApp("late@example.com");
  std::string token = ConfirmationToken("late@example.com");
  clock_.Advance(7 * 24 * 3600);
  http::Response expired = browser.Get("/account/confirm?token=" + token);
  EXPECT_EQ(expired.status, 410);
  EXPECT_THAT(expired.body, HasSubstr("Link expired"));
  EXPECT_EQ(
      browser.Submit("/account/confirm", {{"token", token}, {"password", "long enough"}}).status,
      410);

  // Asking for a new link by email answers the same whether or not the account exists.
  http::Response resent =
      browser.Submit("/account/confirm/resend", {{"email", "late@example.com"}});
  EXPECT_EQ(resent.status, 200);
  http::Response nobody = browser.Submit("/account/confirm/resend", {{"email", "no@example.com"}});
  EXPECT_EQ(nobody.status, 200);
  std::string fresh = ConfirmationToken("late@example.com");
  ASSERT_NE(fresh, token);
  EXPECT_EQ(ConfirmWithPassword(browser, fresh, "long enough").status, 303);
}

TEST_F(ConfirmPagesTest, UnconfirmedSignUpMustConfirmBeforeAuthorizing) {
  Browser sam(router_);
  ASSERT_NO_FATAL_FAILURE(SignUp(sam, "sam@example.com", /*confirm=*/false));
  std::string first = ConfirmationToken("sam@example.com");
  ASSERT_FALSE(first.empty());
  std::string url = "/oauth/authorize?response_type=code&client_id=" + app_.app.client_id;
  http::Response blocked = sam.Get(url);
  EXPECT_EQ(blocked.status, 403);
  EXPECT_THAT(blocked.body, HasSubstr("id=\"confirm-first\""));
  EXPECT_THAT(blocked.body, HasSubstr(">Resend the confirmation email</button>"));
  EXPECT_EQ(sam.Submit("/oauth/authorize", {{"response_type", "code"},
                                            {"client_id", app_.app.client_id},
                                            {"decision", "accept"}})
                .status,
            403);

  EXPECT_EQ(sam.Submit("/account/confirm/resend", {}).status, 429);  // just sent one
  clock_.Advance(60);
  http::Response resent = sam.Submit("/account/confirm/resend", {});
  EXPECT_EQ(resent.status, 200);
  EXPECT_THAT(resent.body, HasSubstr("sam@example.com"));
  std::string second = ConfirmationToken("sam@example.com");
  ASSERT_NE(second, first);

  http::Response form = sam.Get("/account/confirm?token=" + first);  // older links still work
  ASSERT_EQ(form.status, 200);
  EXPECT_THAT(form.body, Not(HasSubstr("id=\"password\"")));
  EXPECT_THAT(form.body, HasSubstr(">Confirm email address</button>"));
  http::Response done = sam.Submit("/account/confirm", {{"token", first}});
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(HeaderOf(done, "Location"), "/home");
  EXPECT_EQ(sam.Get(url).status, 200);
  EXPECT_EQ(sam.Get("/account/confirm?token=" + second).status, 410);
}

TEST_F(ConfirmPagesTest, HomeShowsWhatIsWaiting) {
  Browser sam(router_);
  ASSERT_NO_FATAL_FAILURE(SignUp(sam, "sam@example.com", /*confirm=*/false));
  http::Response home = sam.Get("/home");
  ASSERT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("id=\"unconfirmed\""));
  EXPECT_THAT(home.body, HasSubstr("action=\"/account/confirm/resend\""));
  EXPECT_THAT(owner_.Get("/home").body, Not(HasSubstr("id=\"unconfirmed\"")));

  CreateWithApp("jill@example.com");
  Browser jill(router_);
  ASSERT_EQ(ConfirmWithPassword(jill, ConfirmationToken("jill@example.com"), "long enough").status,
            303);
  home = jill.Get("/home");  // she left the consent page without deciding
  ASSERT_EQ(home.status, 200);
  EXPECT_THAT(home.body, Not(HasSubstr("id=\"unconfirmed\"")));
  EXPECT_THAT(home.body, HasSubstr("<a href=\"/account/authorize?client_id=" + app_.app.client_id +
                                   "\">Jill&#39;s &lt;App&gt;</a>"));
}

}  // namespace
}  // namespace countersign::web
