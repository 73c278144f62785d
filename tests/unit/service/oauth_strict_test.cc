// The OAuth hardening of docs/oauth-security.md at the service level: the consent decision is
// bound to what the page showed, grants keep what was approved, refresh needs the client's
// credentials when the app says so, PKCE S256, and RFC 7009 revocation.
#include "service/oauth_service.h"
#include "service/pkce.h"
#include "service/service_fixture.h"

namespace countersign {
namespace {

// RFC 7636 Appendix B.
constexpr char kVerifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

class OAuthStrictTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    owner_ = MakeAccount("owner@example.com");
    user_ = MakeAccount("user@example.com");
    app_ = MakeApp(owner_.account.id);
  }

  StatusOr<AuthorizeRequest> Authorize(const std::string& challenge = "",
                                       const std::string& method = "") {
    return oauth_->ValidateAuthorize(
        AuthorizeParams{"code", app_.app.client_id, "", "st", challenge, method});
  }

  // Consent as shown and accepted at once; returns the code.
  std::string Code(const std::string& challenge = "") {
    auto req = Authorize(challenge, challenge.empty() ? "" : "S256");
    EXPECT_TRUE(req.ok()) << req.status().ToString();
    if (!req.ok()) return "";
    auto code = oauth_->IssueCode(*req, user_.account.id, req->consent_digest);
    EXPECT_TRUE(code.ok()) << code.status().ToString();
    return code.ok() ? *code : "";
  }

  StatusOr<TokenResponse> Exchange(const std::string& code, const std::string& verifier = "") {
    CodeExchange ex{app_.app.client_id, app_.client_secret, code, "st", "", verifier};
    return oauth_->ExchangeCode(ex);
  }

  RefreshExchange WithClient(const std::string& refresh_token) {
    return RefreshExchange{refresh_token, app_.app.client_id, app_.client_secret};
  }

  void ChangeOAuth(const std::string& callback, std::vector<std::string> scopes) {
    AppFields change;
    change.oauth = OAuthSettings{callback, std::move(scopes)};
    ASSERT_TRUE(apps_->Update(owner_.account.id, app_.app.client_id, change).ok());
  }

  void SetFlags(std::optional<bool> refresh_needs_client, std::optional<bool> pkce) {
    AppFields change;
    change.refresh_requires_client_credentials = refresh_needs_client;
    change.require_pkce = pkce;
    ASSERT_TRUE(apps_->Update(owner_.account.id, app_.app.client_id, change).ok());
  }

  NewAccount owner_, user_;
  NewApp app_;
};

// --- 1. Consent is bound to what was shown; grants keep what was approved. ---

TEST_F(OAuthStrictTest, AcceptAfterTheScopesWidenedIsRefusedUntilShownAgain) {
  auto shown = Authorize();
  ASSERT_TRUE(shown.ok());
  ChangeOAuth("https://example.com/oauth", {"account_access", "signature_request_access"});
  auto now = Authorize();  // the POST re-validates against the app as it is now
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(oauth_->IssueCode(*now, user_.account.id, shown->consent_digest).status().code(),
            Code::kConflict);
  // The page shown again carries the new digest; accepting that grants the new scopes.
  auto code = oauth_->IssueCode(*now, user_.account.id, now->consent_digest);
  ASSERT_TRUE(code.ok());
  auto tokens = Exchange(*code);
  ASSERT_TRUE(tokens.ok());
  auto who = oauth_->AuthenticateBearer(tokens->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->scopes, (std::vector<std::string>{"account_access", "signature_request_access"}));
}

TEST_F(OAuthStrictTest, AcceptAfterTheCallbackChangedIsRefused) {
  auto shown = Authorize();
  ASSERT_TRUE(shown.ok());
  ChangeOAuth("https://example.com/elsewhere", {"account_access"});
  auto now = Authorize();
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(oauth_->IssueCode(*now, user_.account.id, shown->consent_digest).status().code(),
            Code::kConflict);
  EXPECT_EQ(oauth_->IssueCode(*now, user_.account.id, "").status().code(), Code::kConflict);
}

TEST_F(OAuthStrictTest, ConsentDigestIgnoresScopeOrderButNotContent) {
  ApiApp a = app_.app;
  a.scopes = {"account_access", "template_access"};
  ApiApp b = a;
  b.scopes = {"template_access", "account_access"};
  EXPECT_EQ(OAuthService::ConsentDigest(a), OAuthService::ConsentDigest(b));
  b.scopes.push_back("team_access");
  EXPECT_NE(OAuthService::ConsentDigest(a), OAuthService::ConsentDigest(b));
  b = a;
  b.oauth_callback_url += "x";
  EXPECT_NE(OAuthService::ConsentDigest(a), OAuthService::ConsentDigest(b));
}

TEST_F(OAuthStrictTest, WideningScopesNeitherWidensLiveTokensNorRefreshes) {
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  ChangeOAuth("https://example.com/oauth", {"account_access", "signature_request_access"});
  auto who = oauth_->AuthenticateBearer(tokens->access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->scopes, std::vector<std::string>{"account_access"});
  EXPECT_EQ(oauth_->Refresh(WithClient(tokens->refresh_token)).status().code(),
            Code::kInvalidGrant);
}

TEST_F(OAuthStrictTest, ChangingTheCallbackStopsRefreshUntilApprovedAgain) {
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  ChangeOAuth("https://example.com/new-callback", {"account_access"});
  auto refused = oauth_->Refresh(WithClient(tokens->refresh_token));
  EXPECT_EQ(refused.status().code(), Code::kInvalidGrant);
  EXPECT_NE(refused.status().message().find("callback"), std::string::npos);
  // A new approval (of the new callback) refreshes again.
  auto again = Exchange(Code());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(oauth_->Refresh(WithClient(again->refresh_token)).ok());
}

// --- 2. Refresh needs client credentials (on for new apps, switchable). ---

TEST_F(OAuthStrictTest, NewAppsRefreshOnlyWithClientCredentials) {
  EXPECT_TRUE(app_.app.refresh_requires_client_credentials);
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  Status alone = oauth_->Refresh({tokens->refresh_token, "", ""}).status();
  EXPECT_EQ(alone.code(), Code::kInvalidClient);
  EXPECT_NE(alone.message().find("client_id and client_secret"), std::string::npos);
  EXPECT_NE(alone.message().find("refresh_requires_client_credentials"), std::string::npos);
  Status no_secret = oauth_->Refresh({tokens->refresh_token, app_.app.client_id, ""}).status();
  EXPECT_EQ(no_secret.code(), Code::kInvalidClient);
  EXPECT_NE(no_secret.message().find("client_secret is required"), std::string::npos);
  // Refused requests spent nothing: the token still refreshes with the credentials.
  EXPECT_TRUE(oauth_->Refresh(WithClient(tokens->refresh_token)).ok());
}

TEST_F(OAuthStrictTest, WithTheSettingOffTheRefreshTokenAloneRefreshes) {
  SetFlags(false, std::nullopt);
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  auto next = oauth_->Refresh({tokens->refresh_token, "", ""});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  // Credentials, when given, are still checked.
  EXPECT_EQ(oauth_->Refresh({next->refresh_token, app_.app.client_id, "wrong"}).status().code(),
            Code::kInvalidClient);
}

// --- 3. PKCE S256. ---

TEST_F(OAuthStrictTest, Rfc7636ExampleVerifierMatchesItsChallenge) {
  EXPECT_TRUE(VerifierMatches(kVerifier, kChallenge));
  EXPECT_FALSE(VerifierMatches(std::string(kVerifier) + "x", kChallenge));
  EXPECT_FALSE(VerifierMatches("short", kChallenge));
  EXPECT_FALSE(VerifierMatches(kChallenge, kChallenge));  // "plain" does not pass
}

TEST_F(OAuthStrictTest, AuthorizeRefusesPlainAndMalformedChallenges) {
  EXPECT_EQ(Authorize(kChallenge, "plain").status().path(), "code_challenge_method");
  EXPECT_EQ(Authorize(kChallenge, "").status().path(), "code_challenge_method");
  EXPECT_EQ(Authorize("", "S256").status().path(), "code_challenge");
  EXPECT_EQ(Authorize("tooshort", "S256").status().path(), "code_challenge");
  std::string bad = kChallenge;
  bad[0] = '+';
  EXPECT_EQ(Authorize(bad, "S256").status().path(), "code_challenge");
  EXPECT_TRUE(Authorize(kChallenge, "S256").ok());
}

TEST_F(OAuthStrictTest, CodeWithChallengeNeedsTheMatchingVerifier) {
  EXPECT_EQ(Exchange(Code(kChallenge)).status().code(), Code::kInvalidGrant);
  std::string wrong = kVerifier;
  wrong[0] = 'e';
  EXPECT_EQ(Exchange(Code(kChallenge), wrong).status().code(), Code::kInvalidGrant);
  auto tokens = Exchange(Code(kChallenge), kVerifier);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  EXPECT_TRUE(oauth_->AuthenticateBearer(tokens->access_token).ok());
}

TEST_F(OAuthStrictTest, VerifierForACodeWithoutChallengeIsADowngrade) {
  EXPECT_EQ(Exchange(Code(), kVerifier).status().code(), Code::kInvalidGrant);
}

TEST_F(OAuthStrictTest, AppRequiringPkceRefusesRequestsWithoutIt) {
  SetFlags(std::nullopt, true);
  EXPECT_EQ(Authorize().status().path(), "code_challenge");
  EXPECT_TRUE(Authorize(kChallenge, "S256").ok());
}

// --- 6. RFC 7009 revocation. ---

TEST_F(OAuthStrictTest, RevokingTheRefreshTokenEndsTheWholeGrant) {
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  ASSERT_TRUE(oauth_->Revoke({app_.app.client_id, app_.client_secret, tokens->refresh_token}).ok());
  EXPECT_FALSE(oauth_->AuthenticateBearer(tokens->access_token).ok());
  EXPECT_EQ(oauth_->Refresh(WithClient(tokens->refresh_token)).status().code(),
            Code::kInvalidGrant);
}

TEST_F(OAuthStrictTest, RevokingTheAccessTokenEndsItsRefreshTokenToo) {
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  ASSERT_TRUE(oauth_->Revoke({app_.app.client_id, app_.client_secret, tokens->access_token}).ok());
  EXPECT_FALSE(oauth_->AuthenticateBearer(tokens->access_token).ok());
  EXPECT_FALSE(oauth_->Refresh(WithClient(tokens->refresh_token)).ok());
}

TEST_F(OAuthStrictTest, RevocationAuthenticatesTheClientAndKeepsOthersTokens) {
  auto tokens = Exchange(Code());
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(oauth_->Revoke({app_.app.client_id, "wrong", tokens->access_token}).code(),
            Code::kInvalidClient);
  EXPECT_EQ(oauth_->Revoke({app_.app.client_id, app_.client_secret, ""}).path(), "token");
  EXPECT_TRUE(oauth_->Revoke({app_.app.client_id, app_.client_secret, "unknown-token"}).ok());
  NewApp other = MakeApp(owner_.account.id);
  EXPECT_TRUE(
      oauth_->Revoke({other.app.client_id, other.client_secret, tokens->access_token}).ok());
  EXPECT_TRUE(oauth_->AuthenticateBearer(tokens->access_token).ok());
}

}  // namespace
}  // namespace countersign
