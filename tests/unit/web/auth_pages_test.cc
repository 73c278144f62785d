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

TEST_F(AuthPagesTest, SignupAsksToConfirmAndTheEmailedLinkLogsIn) {
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
      "/signup", {{"email", "Alice@example.com"}, {"password", "correct horse battery"}});
  EXPECT_EQ(done.status, 200);
  EXPECT_THAT(done.body, HasSubstr("We sent a link to alice@example.com to finish signing up"));
  EXPECT_TRUE(HeaderOf(done, "Location").empty());
  EXPECT_EQ(browser.cookie(), anonymous_cookie);  // not logged in
  EXPECT_EQ(browser.Get("/home").status, 303);

  // The emailed link confirms the address and logs in, on a new session id.
  std::string token = ConfirmationToken("alice@example.com");
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(browser.Get("/account/confirm?token=" + token).status, 200);
  http::Response confirmed = browser.Submit("/account/confirm", {{"token", token}});
  EXPECT_EQ(confirmed.status, 303);
  EXPECT_EQ(HeaderOf(confirmed, "Location"), "/home");
  EXPECT_NE(browser.cookie(), anonymous_cookie);

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

// The page must not reveal whether an address has an account: a taken address gets the page a
// new one gets (apart from the address), creates nothing, and its owner is told by mail.
TEST_F(AuthPagesTest, SignupAnswersTakenAndNewAddressesAlike) {
  ASSERT_TRUE(accounts_->Create("carol@example.com", "correct horse battery").ok());
  auto carol = accounts_->FindByEmail("carol@example.com");
  ASSERT_TRUE(carol.ok());
  ASSERT_TRUE(ConfirmationToken("nobody@example.com").empty());  // empties the mail queue

  auto sign_up = [this](const std::string& email) {
    Browser browser(router_);
    browser.Get("/signup?next=%2Fapps");
    http::Response response = browser.Submit(
        "/signup", {{"email", email}, {"password", "another fine password"}, {"next", "/apps"}});
    for (const auto& [from, to] : {std::pair{email, "ADDRESS"}, {browser.csrf(), "CSRF"}}) {
      for (size_t at = 0; (at = response.body.find(from, at)) != std::string::npos;) {
        response.body.replace(at, from.size(), to);
      }
    }
    return response;
  };
  http::Response fresh = sign_up("dave@example.com");
  http::Response taken = sign_up("carol@example.com");
  EXPECT_EQ(taken.status, fresh.status);
  EXPECT_EQ(taken.status, 200);
  EXPECT_EQ(taken.body, fresh.body);
  EXPECT_EQ(taken.headers, fresh.headers);
  EXPECT_THAT(taken.body, HasSubstr("We sent a link to ADDRESS to finish signing up"));
  EXPECT_THAT(taken.body, HasSubstr("href=\"/login?next=%2Fapps\""));

  // Carol's account is as it was; the new address has its unconfirmed account.
  auto after = accounts_->FindByEmail("carol@example.com");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->id, carol->id);
  EXPECT_EQ(after->password_hash, carol->password_hash);
  EXPECT_TRUE(accounts_->Authenticate("carol@example.com", "correct horse battery").ok());
  EXPECT_FALSE(accounts_->Authenticate("carol@example.com", "another fine password").ok());
  auto dave = accounts_->FindByEmail("dave@example.com");
  ASSERT_TRUE(dave.ok());
  EXPECT_FALSE(dave->email_confirmed);

  // Dave gets a confirmation link, Carol a notice telling her to log in.
  auto mails = stores_.mail_queue->ClaimDue(clock_.NowSeconds(), 100, 60);
  ASSERT_TRUE(mails.ok());
  ASSERT_EQ(mails->size(), 2u);
  for (const QueuedMail& mail : *mails) {
    if (mail.message.to_email == "dave@example.com") {
      EXPECT_THAT(mail.message.text_body, HasSubstr("/account/confirm?token="));
    } else {
      EXPECT_EQ(mail.message.to_email, "carol@example.com");
      EXPECT_THAT(mail.message.subject, HasSubstr("tried to sign up"));
      EXPECT_THAT(mail.message.text_body, HasSubstr("http://127.0.0.1:8080/login"));
      EXPECT_THAT(mail.message.text_body, Not(HasSubstr("/account/confirm")));
    }
  }
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

// Over https the session is a "__Host-" cookie, which a sibling subdomain or a plain-http
// answer cannot set; a cookie under the plain name is not read there.
TEST_F(AuthPagesTest, SecureCookieWhenConfigured) {
  web_->secure_cookies = true;
  Browser browser(router_);
  const std::string set_cookie = HeaderOf(browser.Get("/login"), "Set-Cookie");
  EXPECT_THAT(set_cookie, StartsWith("__Host-cs_session="));
  EXPECT_THAT(set_cookie, HasSubstr("; Secure"));
  EXPECT_THAT(set_cookie, HasSubstr("; Path=/;"));
  EXPECT_THAT(set_cookie, Not(HasSubstr("Domain")));
  const std::string csrf = browser.csrf();
  EXPECT_EQ(browser.Get("/login").status, 200);  // the same session: no new cookie, same token
  EXPECT_EQ(browser.csrf(), csrf);

  http::Request planted;
  planted.method = "GET";
  planted.path = "/login";
  planted.headers.emplace_back("Cookie", "cs_session=anon-" + std::string(64, '1'));
  http::Response fresh = router_.Dispatch(planted);
  EXPECT_THAT(HeaderOf(fresh, "Set-Cookie"), StartsWith("__Host-cs_session=anon-"));
  EXPECT_THAT(HeaderOf(fresh, "Set-Cookie"), Not(HasSubstr(std::string(64, '1'))));
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
