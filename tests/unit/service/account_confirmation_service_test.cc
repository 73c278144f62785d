// The account creation flow and email confirmation (docs/account-creation.md).
#include "service/account_confirmation_service.h"

#include <gmock/gmock.h>

#include <regex>

#include "core/public_url.h"
#include "service/service_fixture.h"
#include "service/validation.h"

namespace countersign {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AccountConfirmationTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    notices_ = std::make_unique<SignUpNotice>(*stores_.mail_queue, *stores_.rate_limits, clock_,
                                              public_url_, SignUpNotice::Options{});
    confirmations_ = std::make_unique<AccountConfirmationService>(
        *accounts_, *apps_, *oauth_, *stores_.confirmations, *notices_, clock_, public_url_,
        AccountConfirmationService::Options{});
    owner_ = MakeAccount("owner@example.com");
    AppFields f;
    f.name = "Jill's <App>";
    f.domains = std::vector<std::string>{"example.com"};
    f.callback_url = "https://example.com/events";
    f.oauth = OAuthSettings{"https://example.com/oauth", {"account_access"}};
    auto app = apps_->Create(owner_.account.id, f);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
    ASSERT_TRUE(apps_->Approve(app_.app.client_id).ok());
    app_.app.is_approved = true;
  }

  AccountCreateRequest WithApp(const std::string& email) {
    return AccountCreateRequest{email, "", app_.app.client_id, app_.client_secret};
  }

  // Every mail queued so far (claimed, so each is returned once).
  std::vector<QueuedMail> TakeMail() {
    auto mails = stores_.mail_queue->ClaimDue(clock_.NowSeconds(), 100, 60);
    EXPECT_TRUE(mails.ok());
    if (!mails.ok()) return {};
    for (const QueuedMail& mail : *mails) {
      EXPECT_TRUE(stores_.mail_queue->MarkSent(mail.id, clock_.NowSeconds()).ok());
    }
    return *mails;
  }

  // The token of the one confirmation link in `mail`.
  static std::string TokenIn(const QueuedMail& mail) {
    std::smatch m;
    static const std::regex kLink("http://cs\\.test/account/confirm\\?token=([0-9a-f]{64})");
    EXPECT_TRUE(std::regex_search(mail.message.text_body, m, kLink)) << mail.message.text_body;
    return m.size() > 1 ? m[1].str() : "";
  }

  PublicUrl public_url_{"http://cs.test"};
  std::unique_ptr<SignUpNotice> notices_;
  std::unique_ptr<AccountConfirmationService> confirmations_;
  NewAccount owner_;
  NewApp app_;
};

TEST_F(AccountConfirmationTest, CreateQueuesAMailWithASingleUseLink) {
  auto created = confirmations_->CreateForApi({"Jill@Example.com", "fr-FR", "", ""});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(created->oauth.has_value());
  EXPECT_EQ(created->account.email, "jill@example.com");
  EXPECT_EQ(created->account.locale, "fr-FR");
  EXPECT_FALSE(created->account.email_confirmed);
  auto stored = accounts_->Get(created->account.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->email_confirmed);
  EXPECT_TRUE(stored->password_hash.empty());

  std::vector<QueuedMail> mails = TakeMail();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message.to_email, "jill@example.com");
  std::string token = TokenIn(mails[0]);
  EXPECT_THAT(mails[0].message.html_body, HasSubstr("/account/confirm?token=" + token));
  // Only the token's SHA-256 is stored.
  EXPECT_TRUE(stores_.confirmations->Find(Sha256Hex(token)).ok());
  EXPECT_EQ(stores_.confirmations->Find(token).status().code(), Code::kNotFound);

  auto link = confirmations_->Inspect(token);
  ASSERT_TRUE(link.ok()) << link.status().ToString();
  EXPECT_TRUE(link->needs_password);
  EXPECT_EQ(link->app_name, "");

  auto confirmed = confirmations_->Confirm(token, "a new password");
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_TRUE(confirmed->account.email_confirmed);
  EXPECT_EQ(confirmed->client_id, "");
  EXPECT_TRUE(accounts_->Authenticate("jill@example.com", "a new password").ok());

  // Single use.
  EXPECT_EQ(confirmations_->Confirm(token, "another password").status().code(), Code::kConflict);
  EXPECT_EQ(confirmations_->Inspect(token).status().code(), Code::kConflict);
  EXPECT_FALSE(accounts_->Authenticate("jill@example.com", "another password").ok());
  EXPECT_EQ(confirmations_->Inspect("nope").status().code(), Code::kNotFound);
}

TEST_F(AccountConfirmationTest, LinksExpireAfterSevenDays) {
  ASSERT_TRUE(confirmations_->CreateForApi({"a@example.com", "", "", ""}).ok());
  ASSERT_TRUE(confirmations_->CreateForApi({"b@example.com", "", "", ""}).ok());
  std::vector<QueuedMail> mails = TakeMail();
  ASSERT_EQ(mails.size(), 2u);
  if (mails[0].message.to_email != "a@example.com") std::swap(mails[0], mails[1]);
  clock_.Advance(7 * 24 * 3600 - 1);
  EXPECT_TRUE(confirmations_->Confirm(TokenIn(mails[0]), "long enough").ok());
  clock_.Advance(1);
  EXPECT_EQ(confirmations_->Inspect(TokenIn(mails[1])).status().code(), Code::kGone);
  EXPECT_EQ(confirmations_->Confirm(TokenIn(mails[1]), "long enough").status().code(), Code::kGone);
  auto b = accounts_->FindByEmail("b@example.com");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->email_confirmed);
}

TEST_F(AccountConfirmationTest, ConfirmNeedsAGoodPasswordWhenTheAccountHasNone) {
  ASSERT_TRUE(confirmations_->CreateForApi({"a@example.com", "", "", ""}).ok());
  std::string token = TokenIn(TakeMail().at(0));
  auto empty = confirmations_->Confirm(token, "");
  EXPECT_EQ(empty.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(empty.status().path(), "password");
  EXPECT_EQ(confirmations_->Confirm(token, "short").status().path(), "password");
  EXPECT_TRUE(confirmations_->Inspect(token).ok());  // still unused
  EXPECT_TRUE(confirmations_->Confirm(token, "long enough").ok());
}

TEST_F(AccountConfirmationTest, WithAppCredentialsTokensWaitForConfirmationAndConsent) {
  auto created = confirmations_->CreateForApi(WithApp("jill@example.com"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(created->oauth.has_value());
  const TokenResponse tokens = *created->oauth;
  EXPECT_EQ(tokens.expires_in, 3600);
  RefreshExchange refresh{tokens.refresh_token, app_.app.client_id, app_.client_secret};
  EXPECT_EQ(oauth_->AuthenticateBearer(tokens.access_token).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(oauth_->Refresh(refresh).status().code(), Code::kInvalidGrant);

  QueuedMail mail = TakeMail().at(0);
  EXPECT_THAT(mail.message.subject, HasSubstr("Jill's <App>"));
  EXPECT_THAT(mail.message.html_body, HasSubstr("Jill&#39;s &lt;App&gt;"));
  std::string token = TokenIn(mail);
  auto link = confirmations_->Inspect(token);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->app_name, "Jill's <App>");

  // Accepting before confirming is refused.
  EXPECT_EQ(oauth_->ActivatePendingGrants(created->account.id, app_.app.client_id).code(),
            Code::kPermissionDenied);
  auto confirmed = confirmations_->Confirm(token, "long enough");
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->client_id, app_.app.client_id);
  // Confirmed but not accepted yet: still nothing works.
  EXPECT_FALSE(oauth_->AuthenticateBearer(tokens.access_token).ok());
  EXPECT_EQ(oauth_->Refresh(refresh).status().code(), Code::kInvalidGrant);

  // The account_confirmed event was recorded for the app's callback.
  auto deliveries = stores_.events->Recent(CallbackKind::kApp, app_.app.client_id, 10);
  ASSERT_TRUE(deliveries.ok());
  ASSERT_EQ(deliveries->size(), 1u);
  EXPECT_EQ(deliveries->front().event.event_type, "account_confirmed");
  EXPECT_EQ(deliveries->front().event.account_id, created->account.id);
  EXPECT_EQ(deliveries->front().event.client_id, app_.app.client_id);

  ASSERT_TRUE(oauth_->ActivatePendingGrants(created->account.id, app_.app.client_id).ok());
  auto who = oauth_->AuthenticateBearer(tokens.access_token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->account_id, created->account.id);
  EXPECT_TRUE(oauth_->Refresh(refresh).ok());
}

TEST_F(AccountConfirmationTest, ErrorsWriteNothing) {
  ASSERT_TRUE(confirmations_->CreateForApi({"taken@example.com", "", "", ""}).ok());
  TakeMail();
  struct Case {
    AccountCreateRequest request;
    Code code;
    std::string path;
  };
  AccountCreateRequest wrong_secret = WithApp("new@example.com");
  wrong_secret.client_secret = "not the secret";
  AccountCreateRequest unknown_app = WithApp("new@example.com");
  unknown_app.client_id = "0123456789abcdef0123456789abcdef";
  AccountCreateRequest only_id = WithApp("new@example.com");
  only_id.client_secret = "";
  AccountCreateRequest only_secret = WithApp("new@example.com");
  only_secret.client_id = "";
  const std::vector<Case> cases = {
      {{"TAKEN@example.com", "", "", ""}, Code::kInvalidArgument, "email_address"},
      {WithApp("taken@example.com"), Code::kInvalidArgument, "email_address"},
      {{"not-an-email", "", "", ""}, Code::kInvalidArgument, "email_address"},
      {{"", "", "", ""}, Code::kInvalidArgument, "email_address"},
      {{"new@example.com", "xx-XX", "", ""}, Code::kInvalidArgument, "locale"},
      {wrong_secret, Code::kUnauthenticated, ""},
      {unknown_app, Code::kUnauthenticated, ""},
      {only_id, Code::kInvalidArgument, "client_secret"},
      {only_secret, Code::kInvalidArgument, "client_id"},
  };
  for (const Case& c : cases) {
    auto r = confirmations_->CreateForApi(c.request);
    EXPECT_EQ(r.status().code(), c.code) << c.request.email << " " << r.status().ToString();
    EXPECT_EQ(r.status().path(), c.path) << c.request.email;
  }
  ASSERT_TRUE(apps_->Approve(app_.app.client_id, false).ok());
  EXPECT_EQ(confirmations_->CreateForApi(WithApp("new@example.com")).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(accounts_->FindByEmail("new@example.com").status().code(), Code::kNotFound);
  EXPECT_TRUE(TakeMail().empty());
}

TEST_F(AccountConfirmationTest, SignUpAccountsLogInButAuthorizeNothingUntilConfirmed) {
  ASSERT_TRUE(confirmations_->SignUp("sam@example.com", "long enough").ok());
  auto account = accounts_->FindByEmail("sam@example.com");
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_FALSE(account->email_confirmed);
  EXPECT_TRUE(accounts_->Authenticate("sam@example.com", "long enough").ok());
  EXPECT_EQ(oauth_->CheckMayAuthorize(app_.app, account->id).code(), Code::kPermissionDenied);
  std::string token = TokenIn(TakeMail().at(0));
  auto link = confirmations_->Inspect(token);
  ASSERT_TRUE(link.ok());
  EXPECT_FALSE(link->needs_password);
  auto confirmed = confirmations_->Confirm(token, "");
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_TRUE(accounts_->Authenticate("sam@example.com", "long enough").ok());
  Status may = oauth_->CheckMayAuthorize(app_.app, account->id);
  EXPECT_TRUE(may.ok()) << may.ToString();
}

TEST_F(AccountConfirmationTest, SignUpWithAConfirmedAddressChangesNothingAndMailsTheOwner) {
  for (const char* taken : {"Owner@Example.com ", "owner@example.com"}) {
    clock_.Advance(3600);  // past the notice limit
    const std::string email = ToLower(Trim(taken));
    auto before = accounts_->FindByEmail(email);
    ASSERT_TRUE(before.ok());
    EXPECT_TRUE(confirmations_->SignUp(taken, "someone else's password").ok()) << taken;
    auto after = accounts_->FindByEmail(email);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->id, before->id);
    EXPECT_EQ(after->password_hash, before->password_hash);
    EXPECT_EQ(after->email_confirmed, before->email_confirmed);
    EXPECT_FALSE(accounts_->Authenticate(email, "someone else's password").ok());
    std::vector<QueuedMail> mails = TakeMail();
    ASSERT_EQ(mails.size(), 1u) << taken;
    const MailMessage& notice = mails[0].message;
    EXPECT_EQ(notice.to_email, email);
    EXPECT_THAT(notice.subject, HasSubstr("tried to sign up"));
    EXPECT_THAT(notice.text_body, HasSubstr("http://cs.test/login"));
    EXPECT_THAT(notice.text_body, Not(HasSubstr("/account/confirm")));
    EXPECT_THAT(notice.html_body, HasSubstr("<a href=\"http://cs.test/login\">"));
  }
  EXPECT_TRUE(accounts_->Authenticate("owner@example.com", "correct horse battery").ok());
}

TEST_F(AccountConfirmationTest, TheAddressOwnerClaimsAnAccountAStrangerSignedUpWith) {
  ASSERT_TRUE(confirmations_->SignUp("sam@example.com", "stranger's password").ok());
  const std::string strangers_link = TokenIn(TakeMail().at(0));
  auto account = accounts_->FindByEmail("sam@example.com");
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE(
      stores_.sessions->Create({"stranger-session", account->id, 0, 1'000'000'000'000}).ok());

  // Within the resend interval a new sign-up mails nothing more; the account is unchanged.
  ASSERT_TRUE(confirmations_->SignUp("sam@example.com", "a horse battery staple").ok());
  EXPECT_TRUE(TakeMail().empty());
  clock_.Advance(60);
  ASSERT_TRUE(confirmations_->SignUp("sam@example.com", "a horse battery staple").ok());
  std::vector<QueuedMail> mails = TakeMail();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].message.to_email, "sam@example.com");
  const std::string sams_link = TokenIn(mails[0]);
  EXPECT_TRUE(accounts_->Authenticate("sam@example.com", "stranger's password").ok());
  EXPECT_FALSE(accounts_->Authenticate("sam@example.com", "a horse battery staple").ok());

  // The link only Sam receives sets Sam's password and ends the stranger's session.
  auto confirmed = confirmations_->Confirm(sams_link, "");
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_EQ(confirmed->account.id, account->id);
  EXPECT_TRUE(accounts_->Authenticate("sam@example.com", "a horse battery staple").ok());
  EXPECT_FALSE(accounts_->Authenticate("sam@example.com", "stranger's password").ok());
  EXPECT_EQ(stores_.sessions->Find("stranger-session", clock_.NowSeconds()).status().code(),
            Code::kNotFound);
  EXPECT_EQ(confirmations_->Confirm(strangers_link, "").status().code(), Code::kConflict);
}

TEST_F(AccountConfirmationTest, TakenAddressNoticesAreMailedAtMostOncePerHour) {
  clock_.Advance(3600 - clock_.NowSeconds() % 3600);  // the start of an interval
  ASSERT_TRUE(confirmations_->SignUp("owner@example.com", "long enough").ok());
  EXPECT_EQ(TakeMail().size(), 1u);
  clock_.Advance(3599);
  ASSERT_TRUE(confirmations_->SignUp("owner@example.com", "long enough").ok());
  EXPECT_TRUE(TakeMail().empty());
  clock_.Advance(1);
  ASSERT_TRUE(confirmations_->SignUp("owner@example.com", "long enough").ok());
  EXPECT_EQ(TakeMail().size(), 1u);
}

TEST_F(AccountConfirmationTest, SignUpInputErrorsAreTheSameForTakenAndNewAddresses) {
  for (const char* email : {"owner@example.com", "new@example.com"}) {
    EXPECT_EQ(confirmations_->SignUp(email, "").path(), "password") << email;
    EXPECT_EQ(confirmations_->SignUp(email, "short").path(), "password") << email;
    EXPECT_EQ(confirmations_->SignUp(email, "password123").path(), "password") << email;
  }
  EXPECT_EQ(confirmations_->SignUp("not-an-email", "long enough").path(), "email_address");
  EXPECT_EQ(confirmations_->SignUp(" ", "long enough").path(), "email_address");
  EXPECT_EQ(accounts_->FindByEmail("new@example.com").status().code(), Code::kNotFound);
  EXPECT_TRUE(TakeMail().empty());
}

TEST_F(AccountConfirmationTest, ResendIsThrottledAndAnyLinkConfirmsOnce) {
  auto created = confirmations_->CreateForApi(WithApp("jill@example.com"));
  ASSERT_TRUE(created.ok());
  const std::string id = created->account.id;
  std::string first = TokenIn(TakeMail().at(0));
  EXPECT_EQ(confirmations_->Resend(id).code(), Code::kResourceExhausted);
  EXPECT_TRUE(confirmations_->ResendTo("jill@example.com").ok());  // silently throttled
  EXPECT_TRUE(TakeMail().empty());
  clock_.Advance(60);
  ASSERT_TRUE(confirmations_->Resend(id).ok());
  std::string second = TokenIn(TakeMail().at(0));
  EXPECT_NE(first, second);
  auto link = confirmations_->Inspect(second);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->app_name, "Jill's <App>");  // the new link still leads to the app's consent
  EXPECT_TRUE(confirmations_->Inspect(first).ok());
  ASSERT_TRUE(confirmations_->Confirm(second, "long enough").ok());
  EXPECT_EQ(confirmations_->Inspect(first).status().code(), Code::kConflict);
  clock_.Advance(60);
  EXPECT_EQ(confirmations_->Resend(id).code(), Code::kConflict);
  EXPECT_TRUE(confirmations_->ResendTo("jill@example.com").ok());
  EXPECT_TRUE(confirmations_->ResendTo("nobody@example.com").ok());
  EXPECT_TRUE(TakeMail().empty());
}

}  // namespace
}  // namespace countersign
