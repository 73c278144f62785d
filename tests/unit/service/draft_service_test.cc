// DraftService over an in-memory SQLite database, real blobs and qpdf, with the API's body
// reader: an unclaimed draft is claimed once by the first account, seen and changed only by
// it, and sent once under its reserved signature_request_id; an embedded draft opens once and
// its page acts as its creator only with the right secret.
#include "service/draft_service.h"

#include <filesystem>

#include "api/draft_body_reader.h"
#include "core/crypto.h"
#include "service/document_services_fixture.h"
#include "testing/tiny_pdf.h"

namespace countersign {
namespace {

using nlohmann::json;

class DraftServiceTest : public DocumentServicesFixture {
 protected:
  void SetUp() override {
    SetUpDocuments("creator@example.com", "claimer@example.com");
    drafts_ = std::make_unique<DraftService>(*stores_.drafts, *requests_, *templates_, reader_,
                                             *blobs_, *stores_.apps, clock_, url_);
    pdf_bytes_ = testing::TinyPdf(1);
  }

  DraftInput Input() {
    DraftInput in;
    in.body = {{"title", "NDA"}, {"test_mode", true}};
    in.files.push_back({"nda.pdf", pdf_bytes_});
    in.test_mode = true;
    return in;
  }

  // The token of a claim_url.
  static std::string TokenOf(const std::string& claim_url) {
    return claim_url.substr(claim_url.find("token=") + 6);
  }

  api::ApiDraftBodyReader reader_;
  std::unique_ptr<DraftService> drafts_;
  std::string pdf_bytes_;
};

TEST_F(DraftServiceTest, ClaimEditSendUnderTheReservedId) {
  auto created = drafts_->Create(me_, Input());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->claim_url.rfind("http://sign.test/send/claim?token=", 0), 0u);
  EXPECT_EQ(TokenOf(created->claim_url).size(), 64u);
  EXPECT_EQ(created->draft.expires_at, clock_.NowSeconds() + DraftService::kClaimUrlSeconds);
  const std::string reserved = created->draft.signature_request_id;
  EXPECT_EQ(requests_->Get(me_, reserved).status().code(), Code::kNotFound);  // not sent yet

  auto claimed = drafts_->Claim(them_, TokenOf(created->claim_url));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(claimed->claimed_by, theirs_.account.id);
  EXPECT_EQ(drafts_->Claim(me_, TokenOf(created->claim_url)).status().code(), Code::kNotFound);
  EXPECT_EQ(drafts_->Claim(them_, "bogus").status().code(), Code::kNotFound);
  const std::string id = claimed->id;
  EXPECT_EQ(drafts_->Get(me_, id).status().code(), Code::kNotFound);  // the creator no longer
  auto view = drafts_->Get(them_, id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->send.title, std::optional<std::string>("NDA"));
  EXPECT_TRUE(view->send.signers.empty());

  // Sending needs signers: the error is the send's.
  EXPECT_EQ(drafts_->Send(them_, id).status().code(), Code::kInvalidArgument);

  DraftEdit edit;
  edit.signers = {{"Jack", "JACK@example.com", std::nullopt, "", ""}};
  edit.cc_emails = {"boss@example.com"};
  edit.title = "NDA 2";
  edit.message = "Please";
  edit.test_mode = true;
  edit.form_fields = json::array({{{"document_index", 0},
                                   {"api_id", "sig"},
                                   {"type", "signature"},
                                   {"required", true},
                                   {"signer", 0},
                                   {"x", 10},
                                   {"y", 10},
                                   {"width", 100},
                                   {"height", 30},
                                   {"page", 1}}});
  EXPECT_EQ(drafts_->Edit(me_, id, edit).status().code(), Code::kNotFound);
  DraftEdit bad = edit;
  bad.signers[0].email = "not-an-email";
  EXPECT_EQ(drafts_->Edit(them_, id, bad).status().path(), "signers[0].email_address");
  auto edited = drafts_->Edit(them_, id, edit);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  ASSERT_EQ(edited->send.signers.size(), 1u);
  EXPECT_EQ(edited->send.form_fields.size(), 1u);

  EXPECT_EQ(drafts_->Send(me_, id).status().code(), Code::kNotFound);
  auto sent = drafts_->Send(them_, id);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->id, reserved);
  EXPECT_EQ(sent->account_id, theirs_.account.id);
  EXPECT_EQ(sent->title, "NDA 2");
  ASSERT_EQ(sent->signatures.size(), 1u);
  EXPECT_EQ(sent->signatures[0].email, "jack@example.com");
  EXPECT_TRUE(sent->test_mode);
  EXPECT_TRUE(requests_->Get(them_, reserved).ok());
  EXPECT_EQ(drafts_->Send(them_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(drafts_->Get(them_, id).status().code(), Code::kNotFound);
}

TEST_F(DraftServiceTest, CreateRefusesWithTheSendsPaths) {
  DraftInput type = Input();
  type.type = "sign_now";
  EXPECT_EQ(drafts_->Create(me_, type).status().path(), "type");
  DraftInput signers = Input();
  signers.type = "send_document";
  signers.body["signers"] = json::array({{{"name", "J"}, {"email_address", "j@example.com"}}});
  EXPECT_EQ(drafts_->Create(me_, signers).status().path(), "signers");
  DraftInput bad_signer = Input();
  bad_signer.body["signers"] = json::array({{{"name", "J"}, {"email_address", "nope"}}});
  EXPECT_EQ(drafts_->Create(me_, bad_signer).status().path(), "signers[0].email_address");
  DraftInput both = Input();
  both.file_urls = {"https://example.com/a.pdf"};
  EXPECT_EQ(drafts_->Create(me_, both).status().code(), Code::kInvalidArgument);
  DraftInput embedded = Input();
  embedded.embedded = true;
  EXPECT_EQ(drafts_->Create(me_, embedded).status().path(), "client_id");
  embedded.client_id = "abc";
  EXPECT_EQ(drafts_->Create(me_, embedded).status().path(), "requester_email_address");
}

TEST_F(DraftServiceTest, EmbeddedDraftOpensOnceAndActsAsItsCreator) {
  NewApp app = MakeApp(mine_.account.id);
  DraftInput in = Input();
  in.embedded = true;
  in.client_id = app.app.client_id;
  in.requester_email = "Requester@Example.com";
  in.body["signers"] = json::array({{{"name", "J"}, {"email_address", "j@example.com"}}});
  auto created = drafts_->Create(me_, in);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->claim_url.rfind("http://sign.test/prep-and-send/embedded-request?token=", 0),
            0u);
  EXPECT_EQ(created->draft.expires_at,
            clock_.NowSeconds() + DraftService::kEmbeddedClaimUrlSeconds);
  const std::string token = TokenOf(created->claim_url);
  // Not claimable as an ordinary draft; the frame is checked before the token is spent.
  EXPECT_EQ(drafts_->Claim(them_, token).status().code(), Code::kNotFound);
  EXPECT_EQ(drafts_->OpenEmbedded(token, "other", "https://example.com/", false).status().path(),
            "client_id");
  EXPECT_EQ(
      drafts_->OpenEmbedded(token, app.app.client_id, "https://evil.test/", false).status().code(),
      Code::kPermissionDenied);
  auto page = drafts_->OpenEmbedded(token, app.app.client_id, "https://app.example.com/x", false);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->draft.claimed_by, mine_.account.id);
  EXPECT_EQ(drafts_->OpenEmbedded(token, app.app.client_id, "https://example.com/", false)
                .status()
                .code(),
            Code::kNotFound);

  EXPECT_EQ(drafts_->EmbeddedActor(page->draft.id, "wrong").status().code(), Code::kNotFound);
  auto actor = drafts_->EmbeddedActor(page->draft.id, page->page_secret);
  ASSERT_TRUE(actor.ok()) << actor.status().ToString();
  EXPECT_EQ(actor->account_id, mine_.account.id);
  EXPECT_EQ(actor->email, "requester@example.com");
  // Each submission of the page checks its frame again, as the opening did.
  EXPECT_TRUE(drafts_
                  ->CheckEmbeddedFrame(page->draft.id, app.app.client_id,
                                       "https://app.example.com/x", false)
                  .ok());
  EXPECT_EQ(
      drafts_->CheckEmbeddedFrame(page->draft.id, app.app.client_id, "https://evil.test/", false)
          .code(),
      Code::kPermissionDenied);
  EXPECT_EQ(drafts_->CheckEmbeddedFrame(page->draft.id, "other", "https://app.example.com/x", false)
                .path(),
            "client_id");
  EXPECT_EQ(
      drafts_->CheckEmbeddedFrame("nope", app.app.client_id, "https://app.example.com/x", false)
          .code(),
      Code::kNotFound);
  auto sent = drafts_->Send(*actor, page->draft.id);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->id, created->draft.signature_request_id);
  EXPECT_EQ(sent->client_id, app.app.client_id);
  EXPECT_EQ(sent->requester_email, "requester@example.com");
  EXPECT_EQ(drafts_->EmbeddedActor(page->draft.id, page->page_secret).status().code(),
            Code::kNotFound);  // sent
}

// The signers of a stored draft body.
json StoredSigners(const Draft& d) { return json::parse(d.body_json).at("signers"); }

TEST_F(DraftServiceTest, SignerPinsAreStoredOnlyHashedAndSurviveThePreparePage) {
  DraftInput in = Input();
  in.body["signers"] =
      json::array({{{"name", "J"}, {"email_address", "j@example.com"}, {"pin", "4321"}},
                   {{"name", "K"}, {"email_address", "k@example.com"}}});
  auto created = drafts_->Create(me_, in);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->draft.body_json.find("4321"), std::string::npos);
  json signers = StoredSigners(created->draft);
  EXPECT_FALSE(signers[0].contains("pin"));
  const std::string hash = signers[0].value("pin_hash", "");
  EXPECT_TRUE(VerifyPassword("4321", hash)) << hash;
  EXPECT_FALSE(signers[1].contains("pin_hash"));

  // The prepare page has no PIN fields: a signer it keeps (by address) keeps the PIN.
  auto claimed = drafts_->Claim(them_, TokenOf(created->claim_url));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  DraftEdit edit;
  edit.signers = {{"Jay", "J@Example.com", std::nullopt, "", ""},
                  {"L", "l@example.com", std::nullopt, "", ""}};
  edit.title = "NDA";
  edit.test_mode = true;
  auto edited = drafts_->Edit(them_, claimed->id, edit);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  signers = StoredSigners(edited->draft);
  EXPECT_EQ(signers[0].value("pin_hash", ""), hash);
  EXPECT_FALSE(signers[1].contains("pin_hash"));

  auto sent = drafts_->Send(them_, claimed->id);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  ASSERT_EQ(sent->signatures.size(), 2u);
  EXPECT_TRUE(VerifyPassword("4321", sent->signatures[0].pin_hash));
  EXPECT_TRUE(sent->signatures[1].pin_hash.empty());
}

TEST_F(DraftServiceTest, AClientCannotGiveAHashedPinAndPinRulesStillApply) {
  DraftInput in = Input();
  in.body["signers"] = json::array(
      {{{"name", "J"}, {"email_address", "j@example.com"}, {"pin_hash", "$argon2id$forged"}}});
  auto created = drafts_->Create(me_, in);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_FALSE(StoredSigners(created->draft)[0].contains("pin_hash"));

  DraftInput short_pin = Input();
  short_pin.body["signers"] =
      json::array({{{"name", "J"}, {"email_address", "j@example.com"}, {"pin", "12"}}});
  EXPECT_EQ(drafts_->Create(me_, short_pin).status().path(), "signers[0].pin");
}

TEST_F(DraftServiceTest, ExpiredClaimUrlIsNotFound) {
  auto created = drafts_->Create(me_, Input());
  ASSERT_TRUE(created.ok());
  clock_.Advance(DraftService::kClaimUrlSeconds);
  EXPECT_EQ(drafts_->Claim(them_, TokenOf(created->claim_url)).status().code(), Code::kNotFound);
}

TEST_F(DraftServiceTest, WebDraftIsItsSendersFromTheStart) {
  DraftEdit edit;
  edit.signers = {{"Jack", "jack@example.com", std::nullopt, "", ""}};
  edit.title = "Web";
  std::vector<UploadedFile> files = {{"a.pdf", pdf_bytes_}};
  auto view = drafts_->CreateForWeb(me_, files, edit);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->draft.claimed_by, mine_.account.id);
  EXPECT_EQ(drafts_->Get(them_, view->draft.id).status().code(), Code::kNotFound);
  auto sent = drafts_->Send(me_, view->draft.id);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->id, view->draft.signature_request_id);
}

}  // namespace
}  // namespace countersign

namespace countersign {
namespace {

// A draft tied to its creator's app, claimed by another account: that account may change and
// send it, and the request carries the creator's app.
TEST_F(DraftServiceTest, AnotherClaimerSendsThroughTheDraftsApp) {
  const NewApp app = MakeApp(mine_.account.id);
  DraftInput in = Input();
  in.client_id = app.app.client_id;
  in.body["client_id"] = app.app.client_id;
  auto created = drafts_->Create(me_, in);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto claimed = drafts_->Claim(them_, TokenOf(created->claim_url));
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  DraftEdit edit;
  edit.signers = {{"Jill", "jill@example.com", std::nullopt, "", ""}};
  edit.title = "Claimed NDA";
  edit.test_mode = true;
  auto edited = drafts_->Edit(them_, claimed->id, edit);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  auto sent = drafts_->Send(them_, claimed->id);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->id, created->draft.signature_request_id);
  EXPECT_EQ(sent->client_id, app.app.client_id);
  EXPECT_EQ(sent->account_id, theirs_.account.id);
}

}  // namespace
}  // namespace countersign
