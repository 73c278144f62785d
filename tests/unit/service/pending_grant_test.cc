// Pending grants (docs/account-creation.md): minted with an account created by an app, they
// neither authenticate nor refresh until the user accepts; denying revokes them for good.
#include "service/oauth_service.h"
#include "service/service_fixture.h"

namespace countersign {
namespace {

class PendingGrantTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    owner_ = MakeAccount("owner@example.com");
    user_ = MakeAccount("user@example.com");
    app_ = MakeApp(owner_.account.id);
  }

  // A pending grant for user_ and app_, stored as the account creation flow stores it.
  TokenResponse StorePending() {
    MintedGrant minted = oauth_->MintPendingGrant(app_.app, user_.account.id);
    EXPECT_TRUE(minted.stored.grant.pending);
    EXPECT_TRUE(stores_.oauth->CreateGrant(minted.stored.grant, minted.stored.tokens).ok());
    return minted.tokens;
  }

  RefreshExchange RefreshOf(const TokenResponse& t) {
    return RefreshExchange{t.refresh_token, app_.app.client_id, app_.client_secret};
  }

  void SetConfirmed(bool confirmed) {
    auto account = stores_.accounts->FindById(user_.account.id);
    ASSERT_TRUE(account.ok());
    account->email_confirmed = confirmed;
    ASSERT_TRUE(stores_.accounts->Update(*account).ok());
  }

  NewAccount owner_, user_;
  NewApp app_;
};

TEST_F(PendingGrantTest, NeverAuthenticatesNorRefreshesNorListsAsAuthorized) {
  TokenResponse t = StorePending();
  EXPECT_EQ(t.expires_in, 3600);
  EXPECT_EQ(oauth_->AuthenticateBearer(t.access_token).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(oauth_->Refresh(RefreshOf(t)).status().code(), Code::kInvalidGrant);
  EXPECT_EQ(oauth_->Refresh(RefreshOf(t)).status().code(), Code::kInvalidGrant);
  auto authorized = oauth_->ListAuthorizedApps(user_.account.id);
  ASSERT_TRUE(authorized.ok());
  EXPECT_TRUE(authorized->empty());
  auto pending = oauth_->ListPendingApps(user_.account.id);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().app.client_id, app_.app.client_id);
}

TEST_F(PendingGrantTest, AcceptingMakesTheSameTokensWorkEvenDaysLater) {
  TokenResponse t = StorePending();
  // Failed refresh attempts while pending are not "reuse": they do not spend or revoke.
  EXPECT_EQ(oauth_->Refresh(RefreshOf(t)).status().code(), Code::kInvalidGrant);
  clock_.Advance(3 * 24 * 3600);  // the user confirms three days later
  ASSERT_TRUE(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).ok());
  auto who = oauth_->AuthenticateBearer(t.access_token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->account_id, user_.account.id);
  EXPECT_EQ(who->client_id, app_.app.client_id);
  clock_.Advance(3599);
  EXPECT_TRUE(oauth_->AuthenticateBearer(t.access_token).ok());  // a full hour from accepting
  clock_.Advance(1);
  EXPECT_FALSE(oauth_->AuthenticateBearer(t.access_token).ok());
  auto next = oauth_->Refresh(RefreshOf(t));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_TRUE(oauth_->AuthenticateBearer(next->access_token).ok());
  auto pending = oauth_->ListPendingApps(user_.account.id);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
  auto authorized = oauth_->ListAuthorizedApps(user_.account.id);
  ASSERT_TRUE(authorized.ok());
  EXPECT_EQ(authorized->size(), 1u);
  // Nothing is pending any more.
  EXPECT_EQ(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).code(),
            Code::kNotFound);
}

TEST_F(PendingGrantTest, DenyingRevokesForGood) {
  TokenResponse t = StorePending();
  ASSERT_TRUE(oauth_->DenyPendingGrants(user_.account.id, app_.app.client_id).ok());
  EXPECT_EQ(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).code(),
            Code::kNotFound);
  EXPECT_EQ(oauth_->DenyPendingGrants(user_.account.id, app_.app.client_id).code(),
            Code::kNotFound);
  EXPECT_EQ(oauth_->AuthenticateBearer(t.access_token).status().code(), Code::kUnauthenticated);
  EXPECT_EQ(oauth_->Refresh(RefreshOf(t)).status().code(), Code::kInvalidGrant);
}

TEST_F(PendingGrantTest, DenyingLeavesAnEarlierAuthorizationAlone) {
  auto req = oauth_->ValidateAuthorize("code", app_.app.client_id, "", "");
  ASSERT_TRUE(req.ok());
  auto code = oauth_->IssueCode(*req, user_.account.id, req->consent_digest);
  ASSERT_TRUE(code.ok());
  auto regular =
      oauth_->ExchangeCode(CodeExchange{app_.app.client_id, app_.client_secret, *code, "", "", {}});
  ASSERT_TRUE(regular.ok());
  StorePending();
  ASSERT_TRUE(oauth_->DenyPendingGrants(user_.account.id, app_.app.client_id).ok());
  EXPECT_TRUE(oauth_->AuthenticateBearer(regular->access_token).ok());
}

TEST_F(PendingGrantTest, UnconfirmedAccountsAuthorizeNothing) {
  TokenResponse t = StorePending();
  SetConfirmed(false);
  EXPECT_EQ(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).code(),
            Code::kPermissionDenied);
  EXPECT_FALSE(oauth_->AuthenticateBearer(t.access_token).ok());
  auto req = oauth_->ValidateAuthorize("code", app_.app.client_id, "", "");
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(oauth_->IssueCode(*req, user_.account.id, req->consent_digest).status().code(),
            Code::kPermissionDenied);
  SetConfirmed(true);
  EXPECT_TRUE(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).ok());
  EXPECT_TRUE(oauth_->AuthenticateBearer(t.access_token).ok());
}

TEST_F(PendingGrantTest, ActivatingNeedsAnApprovedAppAndAPendingGrant) {
  EXPECT_EQ(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).code(),
            Code::kNotFound);
  EXPECT_EQ(oauth_->ActivatePendingGrants(user_.account.id, "nosuchapp").code(), Code::kNotFound);
  TokenResponse t = StorePending();
  ASSERT_TRUE(apps_->Approve(app_.app.client_id, false).ok());
  EXPECT_EQ(oauth_->ActivatePendingGrants(user_.account.id, app_.app.client_id).code(),
            Code::kPermissionDenied);
  EXPECT_FALSE(oauth_->AuthenticateBearer(t.access_token).ok());
}

}  // namespace
}  // namespace countersign
