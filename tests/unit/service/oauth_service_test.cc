#include "service/oauth_service.h"

#include "service/service_fixture.h"

namespace countersign {
namespace {

// Each test runs twice: in memory, and on a database file with the bearer cache (ExactReadCache)
// on, which must answer exactly as the database does.
class OAuthServiceTest : public ServiceFixture, public ::testing::WithParamInterface<bool> {
 protected:
  bool DatabaseFile() const override { return GetParam(); }

  void SetUp() override {
    ServiceFixture::SetUp();
    owner_ = MakeAccount("owner@example.com");
    user_ = MakeAccount("user@example.com");
    app_ = MakeApp(owner_.account.id);
  }

  std::string Code(const std::string& state = "st4te") {
    auto req = oauth_->ValidateAuthorize("code", app_.app.client_id, "", state);
    EXPECT_TRUE(req.ok()) << req.status().ToString();
    auto code = oauth_->IssueCode(*req, user_.account.id, req->consent_digest);
    EXPECT_TRUE(code.ok()) << code.status().ToString();
    return *code;
  }

  CodeExchange Exchange(const std::string& code, const std::string& state = "st4te") {
    return CodeExchange{app_.app.client_id, app_.client_secret, code, state, "", {}};
  }

  // A refresh request with the app's credentials (new apps require them).
  RefreshExchange WithClient(const std::string& refresh_token) {
    return RefreshExchange{refresh_token, app_.app.client_id, app_.client_secret};
  }

  NewAccount owner_, user_;
  NewApp app_;
};

TEST_P(OAuthServiceTest, CodeExchangesForWorkingTokens) {
  auto tokens = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_EQ(tokens->expires_in, 3600);
  EXPECT_EQ(tokens->state, "st4te");
  auto who = oauth_->AuthenticateBearer(tokens->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->account_id, user_.account.id);
  EXPECT_EQ(who->client_id, app_.app.client_id);
  EXPECT_EQ(who->scopes, std::vector<std::string>{"account_access"});
}

TEST_P(OAuthServiceTest, ReplayedCodeIsRefusedAndRevokesItsTokens) {
  std::string code = Code();
  auto first = oauth_->ExchangeCode(Exchange(code));
  ASSERT_TRUE(first.ok());
  auto second = oauth_->ExchangeCode(Exchange(code));
  EXPECT_EQ(second.status().code(), Code::kInvalidGrant);
  EXPECT_EQ(oauth_->AuthenticateBearer(first->access_token).status().code(),
            Code::kUnauthenticated);
  RefreshExchange r = WithClient(first->refresh_token);
  EXPECT_EQ(oauth_->Refresh(r).status().code(), Code::kInvalidGrant);
}

TEST_P(OAuthServiceTest, CodeExpiresAfterTenMinutes) {
  std::string code = Code();
  clock_.Advance(601);
  EXPECT_EQ(oauth_->ExchangeCode(Exchange(code)).status().code(), Code::kInvalidGrant);
}

TEST_P(OAuthServiceTest, CodeIsBoundToStateClientAndRedirect) {
  EXPECT_EQ(oauth_->ExchangeCode(Exchange(Code(), "other")).status().code(), Code::kInvalidGrant);
  CodeExchange wrong_redirect = Exchange(Code());
  wrong_redirect.redirect_uri = "https://evil.example/cb";
  EXPECT_EQ(oauth_->ExchangeCode(wrong_redirect).status().code(), Code::kInvalidGrant);

  NewApp other = MakeApp(owner_.account.id);
  CodeExchange other_client{other.app.client_id, other.client_secret, Code(), "st4te", "", {}};
  EXPECT_EQ(oauth_->ExchangeCode(other_client).status().code(), Code::kInvalidGrant);
}

TEST_P(OAuthServiceTest, AFailedCheckSpendsTheCode) {
  std::string code = Code();
  EXPECT_EQ(oauth_->ExchangeCode(Exchange(code, "other")).status().code(), Code::kInvalidGrant);
  EXPECT_EQ(oauth_->ExchangeCode(Exchange(code)).status().code(), Code::kInvalidGrant);
}

TEST_P(OAuthServiceTest, ACodeOfALockedAccountIssuesNothing) {
  std::string code = Code();
  Account locked = user_.account;
  locked.is_locked = true;
  ASSERT_TRUE(stores_.accounts->Update(locked).ok());
  EXPECT_EQ(oauth_->ExchangeCode(Exchange(code)).status().code(), Code::kInvalidGrant);
  auto grants = stores_.oauth->ListActiveGrants(user_.account.id);
  ASSERT_TRUE(grants.ok());
  EXPECT_TRUE(grants->empty());
}

TEST_P(OAuthServiceTest, WrongClientSecretIsInvalidClient) {
  CodeExchange ex = Exchange(Code());
  ex.client_secret = "nope";
  EXPECT_EQ(oauth_->ExchangeCode(ex).status().code(), Code::kInvalidClient);
}

TEST_P(OAuthServiceTest, MissingFieldsNameTheParameter) {
  CodeExchange ex = Exchange("");
  auto st = oauth_->ExchangeCode(ex).status();
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.path(), "code");
}

TEST_P(OAuthServiceTest, AuthorizeValidationNeverTrustsTheRedirect) {
  EXPECT_EQ(oauth_->ValidateAuthorize("code", "unknown", "", "s").status().code(), Code::kNotFound);
  auto bad = oauth_->ValidateAuthorize("code", app_.app.client_id, "https://evil.example/", "s");
  EXPECT_EQ(bad.status().path(), "redirect_uri");
  // Exact match: a prefix or a different case is not enough.
  EXPECT_FALSE(
      oauth_->ValidateAuthorize("code", app_.app.client_id, "https://example.com/oauth/x", "s")
          .ok());
  EXPECT_FALSE(
      oauth_->ValidateAuthorize("code", app_.app.client_id, "https://EXAMPLE.com/oauth", "s").ok());
  EXPECT_EQ(oauth_->ValidateAuthorize("token", app_.app.client_id, "", "s").status().path(),
            "response_type");
  EXPECT_TRUE(
      oauth_->ValidateAuthorize("code", app_.app.client_id, "https://example.com/oauth", "s").ok());
}

TEST_P(OAuthServiceTest, UnapprovedAppOnlyForItsOwner) {
  NewApp draft = MakeApp(owner_.account.id, {"account_access"}, /*approved=*/false);
  EXPECT_EQ(oauth_->CheckMayAuthorize(draft.app, user_.account.id).code(), Code::kPermissionDenied);
  EXPECT_TRUE(oauth_->CheckMayAuthorize(draft.app, owner_.account.id).ok());
}

TEST_P(OAuthServiceTest, RefreshRotatesAndReuseRevokesTheGrant) {
  auto first = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(first.ok());
  auto second = oauth_->Refresh(WithClient(first->refresh_token));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(second->refresh_token, first->refresh_token);
  EXPECT_TRUE(oauth_->AuthenticateBearer(second->access_token).ok());
  // The spent token comes back: the whole grant goes.
  EXPECT_EQ(oauth_->Refresh(WithClient(first->refresh_token)).status().code(), Code::kInvalidGrant);
  EXPECT_FALSE(oauth_->AuthenticateBearer(second->access_token).ok());
  EXPECT_FALSE(oauth_->Refresh(WithClient(second->refresh_token)).ok());
}

TEST_P(OAuthServiceTest, RefreshChecksClientCredentialsWhenGiven) {
  auto first = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(oauth_->Refresh({first->refresh_token, app_.app.client_id, "wrong"}).status().code(),
            Code::kInvalidClient);
  EXPECT_TRUE(oauth_->Refresh({first->refresh_token, app_.app.client_id, app_.client_secret}).ok());
}

TEST_P(OAuthServiceTest, ScopeChangeStopsRefresh) {
  auto first = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(first.ok());
  AppFields change;
  change.oauth = OAuthSettings{"https://example.com/oauth", {"account_access", "team_access"}};
  ASSERT_TRUE(apps_->Update(owner_.account.id, app_.app.client_id, change).ok());
  EXPECT_EQ(oauth_->Refresh(WithClient(first->refresh_token)).status().code(), Code::kInvalidGrant);
}

TEST_P(OAuthServiceTest, AccessTokenExpiresAfterAnHour) {
  auto first = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(first.ok());
  clock_.Advance(3599);
  EXPECT_TRUE(oauth_->AuthenticateBearer(first->access_token).ok());
  clock_.Advance(1);
  EXPECT_EQ(oauth_->AuthenticateBearer(first->access_token).status().code(),
            Code::kUnauthenticated);
  EXPECT_TRUE(oauth_->Refresh(WithClient(first->refresh_token)).ok());
}

TEST_P(OAuthServiceTest, RevokingAndDeletingTheAppEndAccess) {
  auto a = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(a.ok());
  auto listed = oauth_->ListAuthorizedApps(user_.account.id);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  ASSERT_TRUE(oauth_->RevokeApp(user_.account.id, app_.app.client_id).ok());
  EXPECT_FALSE(oauth_->AuthenticateBearer(a->access_token).ok());
  EXPECT_EQ(oauth_->RevokeApp(user_.account.id, app_.app.client_id).code(), Code::kNotFound);

  auto b = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(apps_->Delete(owner_.account.id, app_.app.client_id).ok());
  EXPECT_FALSE(oauth_->AuthenticateBearer(b->access_token).ok());
  EXPECT_FALSE(oauth_->Refresh(WithClient(b->refresh_token)).ok());
}

// What a Bearer request reads a moment ago is not what the next one gets once it changed: each
// token below is used twice first (so the file database's cache holds it).
TEST_P(OAuthServiceTest, TheNextBearerRequestSeesEveryChange) {
  auto a = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(oauth_->AuthenticateBearer(a->access_token).ok());
  ASSERT_TRUE(oauth_->AuthenticateBearer(a->access_token).ok());
  ASSERT_TRUE(oauth_->Revoke({app_.app.client_id, app_.client_secret, a->access_token}).ok());
  EXPECT_EQ(oauth_->AuthenticateBearer(a->access_token).status().code(), Code::kUnauthenticated);

  auto b = oauth_->ExchangeCode(Exchange(Code()));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(oauth_->AuthenticateBearer(b->access_token).ok());
  ASSERT_TRUE(oauth_->AuthenticateBearer(b->access_token).ok());
  StatusOr<Account> account = stores_.accounts->FindById(user_.account.id);
  ASSERT_TRUE(account.ok());
  account->is_locked = true;
  ASSERT_TRUE(stores_.accounts->Update(*account).ok());
  StatusOr<BearerPrincipal> locked = oauth_->AuthenticateBearer(b->access_token);
  ASSERT_TRUE(locked.ok());  // the API layer refuses a locked account (api/auth.cc)
  ASSERT_TRUE(locked->account.has_value());
  EXPECT_TRUE(locked->account->is_locked);

  ASSERT_TRUE(oauth_->AuthenticateBearer(b->access_token).ok());
  ASSERT_TRUE(oauth_->RevokeApp(user_.account.id, app_.app.client_id).ok());
  EXPECT_FALSE(oauth_->AuthenticateBearer(b->access_token).ok());
}

INSTANTIATE_TEST_SUITE_P(Databases, OAuthServiceTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "FileWithBearerCache" : "InMemory";
                         });

}  // namespace
}  // namespace countersign
