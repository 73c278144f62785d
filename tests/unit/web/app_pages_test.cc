// The developer's app pages: create, details, new secret, delete, owner-only access.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "web_fixture.h"

namespace countersign::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AppPagesTest : public WebFixture {
 protected:
  void SetUp() override {
    WebFixture::SetUp();
    ASSERT_NO_FATAL_FAILURE(SignUp(dev_, "dev@example.com"));
  }

  static std::string CodeById(const std::string& body, const std::string& id) {
    std::smatch match;
    if (!std::regex_search(body, match, std::regex("<code id=\"" + id + "\"[^>]*>([^<]*)<"))) {
      return "";
    }
    return match[1];
  }

  Browser dev_{router_};
};

TEST_F(AppPagesTest, CreateShowsClientIdAndSecretOnce) {
  http::Response form = dev_.Get("/apps/new");
  EXPECT_EQ(form.status, 200);
  for (const char* id : {"name", "domains", "oauth_callback_url", "callback_url",
                         "scope-basic_account_info", "scope-api_app_access"}) {
    EXPECT_THAT(form.body, HasSubstr(std::string("id=\"") + id + "\"")) << id;
    EXPECT_THAT(form.body, HasSubstr(std::string("for=\"") + id + "\"")) << id;
  }
  EXPECT_THAT(form.body, HasSubstr(">Create app</button>"));

  http::Response created = dev_.Submit("/apps", {{"name", "My App"},
                                                 {"domains", "example.com, app.example.com"},
                                                 {"oauth_callback_url", "https://example.com/cb"},
                                                 {"callback_url", ""},
                                                 {"scopes", "basic_account_info"},
                                                 {"scopes", "request_signature"}});
  ASSERT_EQ(created.status, 200) << created.body;
  std::string client_id = CodeById(created.body, "client-id");
  std::string secret = CodeById(created.body, "client-secret");
  ASSERT_FALSE(client_id.empty());
  ASSERT_FALSE(secret.empty());
  auto app = apps_->Get(client_id);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->name, "My App");
  EXPECT_EQ(app->domains.size(), 2u);
  EXPECT_EQ(app->scopes.size(), 2u);
  EXPECT_TRUE(AppService::SecretMatches(*app, secret));

  http::Response list = dev_.Get("/apps");
  EXPECT_THAT(list.body, HasSubstr("<a href=\"/apps/" + client_id + "\">My App</a>"));
  EXPECT_THAT(list.body, HasSubstr("href=\"/apps/new\">Create an app</a>"));

  http::Response details = dev_.Get("/apps/" + client_id);
  EXPECT_EQ(details.status, 200);
  EXPECT_EQ(CodeById(details.body, "client-id"), client_id);
  EXPECT_EQ(CodeById(details.body, "client-secret"), "");
  EXPECT_THAT(details.body, HasSubstr("http://127.0.0.1:8080/oauth/authorize?response_type=code"
                                      "&amp;client_id=" +
                                      client_id));
  EXPECT_THAT(details.body, HasSubstr("https://example.com/cb"));

  http::Response rotated = dev_.Submit("/apps/" + client_id + "/secret", {});
  EXPECT_EQ(rotated.status, 200);
  std::string new_secret = CodeById(rotated.body, "client-secret");
  ASSERT_FALSE(new_secret.empty());
  EXPECT_NE(new_secret, secret);
  EXPECT_TRUE(AppService::SecretMatches(*apps_->Get(client_id), new_secret));

  http::Response deleted = dev_.Submit("/apps/" + client_id + "/delete", {});
  EXPECT_EQ(deleted.status, 303);
  EXPECT_EQ(HeaderOf(deleted, "Location"), "/apps");
  EXPECT_FALSE(apps_->Get(client_id).ok());
}

TEST_F(AppPagesTest, InvalidFormIsRerenderedWith400) {
  dev_.Get("/apps/new");
  http::Response bad = dev_.Submit("/apps", {{"name", ""},
                                             {"domains", "example.com"},
                                             {"oauth_callback_url", "https://example.com/cb"},
                                             {"scopes", "template_access"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("class=\"error\""));
  EXPECT_THAT(bad.body, HasSubstr("value=\"https://example.com/cb\""));
  EXPECT_THAT(bad.body, HasSubstr("value=\"template_access\" checked>"));
  EXPECT_THAT(bad.body, Not(HasSubstr("value=\"team_access\" checked")));
}

TEST_F(AppPagesTest, OtherPeoplesAppsAreNotFound) {
  NewApp app = MakeApp("dev@example.com", "Mine");
  Browser other(router_);
  ASSERT_NO_FATAL_FAILURE(SignUp(other, "other@example.com"));
  EXPECT_EQ(other.Get("/apps/" + app.app.client_id).status, 404);
  EXPECT_EQ(other.Submit("/apps/" + app.app.client_id + "/secret", {}).status, 404);
  EXPECT_EQ(other.Submit("/apps/" + app.app.client_id + "/delete", {}).status, 404);
  EXPECT_TRUE(apps_->Get(app.app.client_id).ok());
  EXPECT_THAT(other.Get("/apps").body, Not(HasSubstr("Mine")));
}

TEST_F(AppPagesTest, AccountPagesNeedALogIn) {
  Browser anonymous(router_);
  http::Response response = anonymous.Get("/apps/new");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(HeaderOf(response, "Location"), "/login?next=%2Fapps%2Fnew");
  anonymous.Get("/login");
  http::Response post = anonymous.Submit("/apps", {{"name", "x"}});
  EXPECT_EQ(post.status, 303);
  EXPECT_EQ(HeaderOf(post, "Location"), "/login");
}

}  // namespace
}  // namespace countersign::web
