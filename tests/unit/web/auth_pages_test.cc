// Sign-up, log-in, log-out, settings, CSRF, security headers and `next` handling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "web/page_context.h"
#include "web_fixture.h"

namespace countersign::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using AuthPagesTest = WebFixture;

TEST_F(AuthPagesTest, SignupLogsInAndShowsHomeAndSettings) {
  Browser browser(router_);
  http::Response form = browser.Get("/signup");
  EXPECT_EQ(form.status, 200);
  EXPECT_THAT(form.body, HasSubstr("id=\"email\""));
  EXPECT_THAT(form.body, HasSubstr("id=\"password\""));
  EXPECT_THAT(form.body, HasSubstr(">Sign up</button>"));
  std::string anonymous_cookie = browser.cookie();
  ASSERT_FALSE(anonymous_cookie.empty());
  EXPECT_THAT(HeaderOf(form, "Set-Cookie"), HasSubstr("; Path=/; HttpOnly; SameSite=Lax"));
  EXPECT_THAT(HeaderOf(form, "Set-Cookie"), Not(HasSubstr("Secure")));

  http::Response done = browser.Submit(
      "/signup", {{"email", "alice@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(done.status, 303);
  EXPECT_EQ(HeaderOf(done, "Location"), "/home");
  EXPECT_NE(browser.cookie(), anonymous_cookie);  // a new session id on log-in

  auto account = accounts_->FindByEmail("alice@example.com");
  ASSERT_TRUE(account.ok());
  http::Response home = browser.Get("/home");
  EXPECT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("<code id=\"account-id\">" + account->id + "</code>"));
  EXPECT_THAT(home.body, HasSubstr("alice@example.com"));
  EXPECT_THAT(home.body, HasSubstr("href=\"/settings\""));
  EXPECT_THAT(home.body, HasSubstr("href=\"/account/apps\""));

  http::Response settings = browser.Get("/settings");
  EXPECT_EQ(settings.status, 200);
  EXPECT_THAT(settings.body, HasSubstr("API key ending in"));
  EXPECT_THAT(settings.body, HasSubstr(account->api_key_hint));
  EXPECT_THAT(settings.body, HasSubstr(">Generate new API key</button>"));
  EXPECT_THAT(settings.body, Not(HasSubstr("id=\"api-key\"")));

  http::Response rotated = browser.Submit("/settings/api_key", {});
  EXPECT_EQ(rotated.status, 200);
  std::smatch key;
  ASSERT_TRUE(
      std::regex_search(rotated.body, key, std::regex("<code id=\"api-key\"[^>]*>(\\w+)<")));
  EXPECT_TRUE(accounts_->AuthenticateApiKey(key[1]).ok());
}

TEST_F(AuthPagesTest, PagesCarrySecurityHeaders) {
  Browser browser(router_);
  for (const char* target : {"/login", "/signup", "/", "/home"}) {
    http::Response response = browser.Get(target);
    EXPECT_EQ(HeaderOf(response, "X-Frame-Options"), "DENY") << target;
    EXPECT_THAT(HeaderOf(response, "Content-Security-Policy"), HasSubstr("frame-ancestors 'none'"));
    EXPECT_THAT(HeaderOf(response, "Content-Security-Policy"), Not(HasSubstr("form-action")));
    EXPECT_EQ(HeaderOf(response, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(response, "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-store");
  }
  http::Response css = browser.Get("/static/style.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_THAT(HeaderOf(css, "Content-Type"), StartsWith("text/css"));
}

TEST_F(AuthPagesTest, SecureCookieWhenConfigured) {
  web_->secure_cookies = true;
  Browser browser(router_);
  EXPECT_THAT(HeaderOf(browser.Get("/login"), "Set-Cookie"), HasSubstr("; Secure"));
}

TEST_F(AuthPagesTest, PostWithoutMatchingCsrfTokenIs403) {
  Browser browser(router_);
  browser.Get("/signup");
  http::Response missing = browser.Post(
      "/signup", {{"email", "bob@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(HeaderOf(missing, "X-Frame-Options"), "DENY");
  http::Response wrong =
      browser.Post("/signup", {{"email", "bob@example.com"},
                               {"password", "correct horse battery"},
                               {"csrf_token", std::string(browser.csrf().size(), 'a')}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_FALSE(accounts_->FindByEmail("bob@example.com").ok());

  // Another browser's token is no good either.
  Browser other(router_);
  other.Get("/login");
  http::Response foreign = browser.Post("/signup", {{"email", "bob@example.com"},
                                                    {"password", "correct horse battery"},
                                                    {"csrf_token", other.csrf()}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_FALSE(accounts_->FindByEmail("bob@example.com").ok());
}

TEST_F(AuthPagesTest, SignupErrorsRerenderTheFormWith400) {
  Browser browser(router_);
  browser.Get("/signup");
  http::Response bad = browser.Submit("/signup", {{"email", "not-an-email"}, {"password", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("class=\"error\""));
  EXPECT_THAT(bad.body, HasSubstr("value=\"not-an-email\""));
  EXPECT_TRUE(HeaderOf(bad, "Location").empty());
}

TEST_F(AuthPagesTest, LoginLogoutAndBadCredentials) {
  ASSERT_TRUE(accounts_->Create("carol@example.com", "correct horse battery").ok());
  Browser browser(router_);
  http::Response form = browser.Get("/login?next=%2Fapps");
  EXPECT_THAT(form.body, HasSubstr(">Log in</button>"));
  EXPECT_THAT(form.body, HasSubstr("href=\"/signup?next=%2Fapps\""));
  EXPECT_THAT(form.body, HasSubstr("name=\"next\" value=\"/apps\""));

  http::Response bad = browser.Submit(
      "/login",
      {{"email", "carol@example.com"}, {"password", "wrong password"}, {"next", "/apps"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_THAT(bad.body, HasSubstr("class=\"error\""));

  http::Response good = browser.Submit(
      "/login",
      {{"email", "carol@example.com"}, {"password", "correct horse battery"}, {"next", "/apps"}});
  EXPECT_EQ(good.status, 303);
  EXPECT_EQ(HeaderOf(good, "Location"), "/apps");
  EXPECT_EQ(HeaderOf(browser.Get("/"), "Location"), "/home");

  browser.Get("/home");
  http::Response out = browser.Submit("/logout", {});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(HeaderOf(out, "Location"), "/login");
  EXPECT_THAT(HeaderOf(out, "Set-Cookie"), HasSubstr("Max-Age=0"));
  http::Response home = browser.Get("/home");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(HeaderOf(home, "Location"), "/login?next=%2Fhome");
  EXPECT_EQ(HeaderOf(browser.Get("/"), "Location"), "/login");
}

TEST_F(AuthPagesTest, ExpiredSessionIsReplaced) {
  Browser browser(router_);
  ASSERT_NO_FATAL_FAILURE(SignUp(browser, "erin@example.com"));
  std::string old_cookie = browser.cookie();
  EXPECT_EQ(browser.Get("/home").status, 200);
  clock_.Advance(8 * 24 * 3600);
  http::Response home = browser.Get("/home");
  EXPECT_EQ(home.status, 303);
  EXPECT_EQ(HeaderOf(home, "Location"), "/login?next=%2Fhome");
  EXPECT_FALSE(browser.cookie().empty());
  EXPECT_NE(browser.cookie(), old_cookie);
}

TEST_F(AuthPagesTest, NextMustBeALocalPath) {
  ASSERT_TRUE(accounts_->Create("dave@example.com", "correct horse battery").ok());
  for (const char* next : {"//evil.example", "/\\evil.example", "https://evil.example",
                           "javascript:alert(1)", "/\t/evil.example", "", "evil"}) {
    Browser browser(router_);
    browser.Get("/login");
    http::Response response = browser.Submit(
        "/login",
        {{"email", "dave@example.com"}, {"password", "correct horse battery"}, {"next", next}});
    EXPECT_EQ(response.status, 303);
    EXPECT_EQ(HeaderOf(response, "Location"), "/home") << next;
  }
  // The hidden field of the form never carries a foreign target either.
  Browser browser(router_);
  EXPECT_THAT(browser.Get("/signup?next=%2F%2Fevil.example").body,
              HasSubstr("name=\"next\" value=\"/home\""));
}

TEST(SafeNextTest, AcceptsOnlyLocalPaths) {
  EXPECT_EQ(SafeNext("/apps/abc?x=1"), "/apps/abc?x=1");
  EXPECT_EQ(SafeNext("/oauth/authorize?client_id=a&state=b"),
            "/oauth/authorize?client_id=a&state=b");
  EXPECT_EQ(SafeNext("//evil"), "/home");
  EXPECT_EQ(SafeNext("/\\evil"), "/home");
  EXPECT_EQ(SafeNext("/a\r\nSet-Cookie: x"), "/home");
  EXPECT_EQ(SafeNext("http://evil"), "/home");
  EXPECT_EQ(SafeNext(""), "/home");
}

}  // namespace
}  // namespace countersign::web
