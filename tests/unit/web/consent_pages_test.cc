// The OAuth consent page: log-in redirect, error pages (never redirects) for bad requests,
// Accept and Deny redirects, CSRF, and the authorized-apps page.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/scopes.h"
#include "web_fixture.h"

namespace countersign::web {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

// The fixture's base URL, as sent in `iss` (RFC 9207).
const std::string kIss = "http%3A%2F%2F127.0.0.1%3A8080";

class ConsentPagesTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    ASSERT_NO_FATAL_FAILURE(SignUp(owner_, "owner@example.com"));
    ASSERT_NO_FATAL_FAILURE(SignUp(user_, "user@example.com"));
  }

  std::string AuthorizeUrl(const std::string& client_id, const std::string& extra = "") {
    return "/oauth/authorize?response_type=code&client_id=" + client_id + "&state=st%20ate" + extra;
  }

  Browser owner_{router_};
  Browser user_{router_};
};

TEST_F(ConsentPagesTest, NotLoggedInGoesToLoginWithNext) {
  NewApp app = MakeApp("owner@example.com", "Acme");
  Browser anonymous(router_);
  std::string url = AuthorizeUrl(app.app.client_id);
  http::Response response = anonymous.Get(url);
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(HeaderOf(response, "Location"), "/login?next=" + http::UrlEncode(url));
}

TEST_F(ConsentPagesTest, ConsentPageShowsAppAndScopes) {
  NewApp app = MakeApp("owner@example.com", "Acme Signer");
  http::Response page = user_.Get(AuthorizeUrl(app.app.client_id));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("<span id=\"app-name\">Acme Signer</span>"));
  EXPECT_THAT(page.body,
              HasSubstr("<li class=\"scope\">" + DescribeScope("basic_account_info") + "</li>"));
  EXPECT_THAT(page.body,
              HasSubstr("<li class=\"scope\">" + DescribeScope("request_signature") + "</li>"));
  EXPECT_THAT(page.body, HasSubstr("name=\"decision\" value=\"accept\">Accept</button>"));
  EXPECT_THAT(page.body, HasSubstr("name=\"decision\" value=\"deny\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"state\" value=\"st ate\""));
  EXPECT_THAT(page.body, HasSubstr("name=\"client_id\" value=\"" + app.app.client_id + "\""));
  EXPECT_EQ(HeaderOf(page, "X-Frame-Options"), "DENY");
}

TEST_F(ConsentPagesTest, AcceptRedirectsWithAWorkingCode) {
  NewApp app = MakeApp("owner@example.com", "Acme");
  user_.Get(AuthorizeUrl(app.app.client_id));
  http::Response response =
      user_.Submit("/oauth/authorize", {{"response_type", "code"},
                                        {"client_id", app.app.client_id},
                                        {"redirect_uri", "https://example.com/oauth"},
                                        {"state", "st ate"},
                                        {"consent", OAuthService::ConsentDigest(app.app)},
                                        {"decision", "accept"}});
  ASSERT_EQ(response.status, 303) << response.body;
  std::string location = HeaderOf(response, "Location");
  EXPECT_THAT(location, MatchesRegex("https://example\\.com/oauth\\?code=[0-9a-zA-Z_-]+"
                                     "&state=st%20ate&iss=http%3A%2F%2F127\\.0\\.0\\.1%3A8080"));
  std::string code = location.substr(location.find("code=") + 5);
  code = code.substr(0, code.find('&'));
  auto tokens =
      oauth_->ExchangeCode({app.app.client_id, app.client_secret, code, "st ate", "", {}});
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();

  // The app now appears under Authorized apps, and can be revoked.
  http::Response list = user_.Get("/account/apps");
  EXPECT_THAT(list.body, HasSubstr("Acme"));
  EXPECT_THAT(list.body, HasSubstr("action=\"/account/apps/" + app.app.client_id + "/revoke\""));
  http::Response revoked = user_.Submit("/account/apps/" + app.app.client_id + "/revoke", {});
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(HeaderOf(revoked, "Location"), "/account/apps");
  EXPECT_THAT(user_.Get("/account/apps").body, Not(HasSubstr("Acme")));
}

TEST_F(ConsentPagesTest, DenyRedirectsWithAccessDenied) {
  NewApp app = MakeApp("owner@example.com", "Acme", "https://example.com/cb?app=1");
  user_.Get(AuthorizeUrl(app.app.client_id));
  http::Params form = {{"response_type", "code"},
                       {"client_id", app.app.client_id},
                       {"redirect_uri", ""},
                       {"state", "xyz"},
                       {"decision", "deny"}};
  http::Response response = user_.Submit("/oauth/authorize", form);
  ASSERT_EQ(response.status, 303) << response.body;
  EXPECT_EQ(HeaderOf(response, "Location"),
            "https://example.com/cb?app=1&error=access_denied&state=xyz&iss=" + kIss);

  form[3].second = "";  // state omitted when empty
  response = user_.Submit("/oauth/authorize", form);
  EXPECT_EQ(HeaderOf(response, "Location"),
            "https://example.com/cb?app=1&error=access_denied&iss=" + kIss);
}

TEST_F(ConsentPagesTest, BadRequestsGetAnErrorPageNeverARedirect) {
  NewApp app = MakeApp("owner@example.com", "Acme");
  http::Response wrong_uri =
      user_.Get(AuthorizeUrl(app.app.client_id, "&redirect_uri=https%3A%2F%2Fevil.example%2F"));
  EXPECT_EQ(wrong_uri.status, 400);
  EXPECT_TRUE(HeaderOf(wrong_uri, "Location").empty());
  EXPECT_THAT(wrong_uri.body, HasSubstr("class=\"error\""));
  EXPECT_THAT(wrong_uri.body, Not(HasSubstr("evil.example")));

  http::Response unknown = user_.Get(AuthorizeUrl("0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(HeaderOf(unknown, "Location").empty());

  http::Response bad_type =
      user_.Get("/oauth/authorize?response_type=token&client_id=" + app.app.client_id);
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_TRUE(HeaderOf(bad_type, "Location").empty());

  // Not logged in does not change that.
  Browser anonymous(router_);
  http::Response anon =
      anonymous.Get(AuthorizeUrl(app.app.client_id, "&redirect_uri=https%3A%2F%2Fevil.example%2F"));
  EXPECT_EQ(anon.status, 400);

  // The POST re-validates.
  user_.Get(AuthorizeUrl(app.app.client_id));
  http::Response post = user_.Submit("/oauth/authorize", {{"response_type", "code"},
                                                          {"client_id", app.app.client_id},
                                                          {"redirect_uri", "https://evil.example/"},
                                                          {"state", "s"},
                                                          {"decision", "accept"}});
  EXPECT_EQ(post.status, 400);
  EXPECT_TRUE(HeaderOf(post, "Location").empty());
}

TEST_F(ConsentPagesTest, PostWithoutCsrfTokenIs403) {
  NewApp app = MakeApp("owner@example.com", "Acme");
  user_.Get(AuthorizeUrl(app.app.client_id));
  http::Response response = user_.Post("/oauth/authorize", {{"response_type", "code"},
                                                            {"client_id", app.app.client_id},
                                                            {"state", "s"},
                                                            {"decision", "accept"},
                                                            {"csrf_token", "forged"}});
  EXPECT_EQ(response.status, 403);
  EXPECT_TRUE(HeaderOf(response, "Location").empty());
}

TEST_F(ConsentPagesTest, UnapprovedAppOnlyForItsOwner) {
  NewApp app = MakeApp("owner@example.com", "Draft", "https://example.com/oauth", false);
  EXPECT_EQ(user_.Get(AuthorizeUrl(app.app.client_id)).status, 403);
  EXPECT_EQ(owner_.Get(AuthorizeUrl(app.app.client_id)).status, 200);
}

TEST_F(ConsentPagesTest, AppNamesAreEscaped) {
  NewApp app = MakeApp("owner@example.com", "<script>alert(1)</script>");
  http::Response consent = user_.Get(AuthorizeUrl(app.app.client_id));
  ASSERT_EQ(consent.status, 200);
  EXPECT_THAT(consent.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(consent.body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));

  http::Response list = owner_.Get("/apps");
  EXPECT_THAT(list.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(list.body, HasSubstr("&lt;script&gt;"));
  http::Response details = owner_.Get("/apps/" + app.app.client_id);
  EXPECT_THAT(details.body, Not(HasSubstr("<script>")));
  EXPECT_THAT(details.body, HasSubstr("&lt;script&gt;"));
}

}  // namespace
}  // namespace countersign::web
