#include "service/signature_request_service.h"

#include <cstdio>
#include <filesystem>
#include <map>

#include "files/file_blob_store.h"
#include "pdf/qpdf_inspector.h"
#include "service/form_fields.h"
#include "service/service_fixture.h"
#include "service/signing_service.h"
#include "testing/text_pdf.h"
#include "testing/tiny_pdf.h"

namespace countersign {
namespace {

// A fetcher that "downloads" fixed content for known URLs.
class FakeFetcher : public UrlFetcher {
 public:
  std::map<std::string, std::string> pages;
  Status Fetch(const std::string& url, const std::string& dest, const FetchOptions&) override {
    auto it = pages.find(url);
    if (it == pages.end()) return InvalidArgument("Could not download " + url + ": HTTP 404");
    FILE* f = fopen(dest.c_str(), "wb");
    fwrite(it->second.data(), 1, it->second.size(), f);
    fclose(f);
    return Status::Ok();
  }
};

class SignatureRequestServiceTest : public ServiceFixture {
 protected:
  void SetUp() override {
    ServiceFixture::SetUp();
    root_ = std::filesystem::temp_directory_path() / ("cs_sr_" + RandomHex(6));
    auto blobs = FileBlobStore::Open(root_.string());
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(blobs).value();
    url_.Set("http://sign.test");
    service_ = std::make_unique<SignatureRequestService>(
        *stores_.signature_requests, *stores_.accounts, *stores_.apps, *blobs_, pdf_, fetcher_,
        clock_, url_, SignatureRequestService::Options{});
    sender_ = MakeAccount("sender@example.com");
    viewer_ = {sender_.account.id, sender_.account.email, "", "", ""};
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  SendInput Basic() {
    SendInput in;
    pdf_bytes_ = testing::TinyPdf(2);
    in.files.push_back({"nda.pdf", pdf_bytes_});
    in.signers.push_back({"Jack", "Jack@Example.com", std::nullopt, "", ""});
    in.title = "NDA";
    return in;
  }

  int OutboxCount() {
    auto claimed = stores_.mail_queue->ClaimDue(clock_.NowSeconds() + 1, 100, 60);
    return claimed.ok() ? static_cast<int>(claimed->size()) : -1;
  }

  std::filesystem::path root_;
  std::unique_ptr<FileBlobStore> blobs_;
  QpdfInspector pdf_;
  FakeFetcher fetcher_;
  PublicUrl url_;
  std::unique_ptr<SignatureRequestService> service_;
  NewAccount sender_;
  RequestViewer viewer_;
  std::string pdf_bytes_;
};

TEST(SigningKindsTest, TheDefaultTypeIsAllowedWhateverItsFlagSays) {
  SignatureRequest r;
  EXPECT_TRUE(SigningService::KindAllowed(r, "typed"));  // no signing_options: every kind
  r.signing_options_json = R"({"default_type":"type","draw":false,"type":false})";  // the SDK's
  EXPECT_TRUE(SigningService::KindAllowed(r, "typed"));
  EXPECT_FALSE(SigningService::KindAllowed(r, "drawn"));
  r.signing_options_json = R"({"default_type":"draw","draw":true,"type":false})";
  EXPECT_TRUE(SigningService::KindAllowed(r, "drawn"));
  EXPECT_FALSE(SigningService::KindAllowed(r, "typed"));
  EXPECT_FALSE(SigningService::KindAllowed(r, "uploaded"));
}

TEST_F(SignatureRequestServiceTest, SendStoresFilesSignersAndQueuesMail) {
  auto sent = service_->Send(viewer_, Basic());
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->files.size(), 1u);
  EXPECT_EQ(sent->files[0].page_count, 2);
  EXPECT_EQ(sent->signatures[0].email, "jack@example.com");
  EXPECT_FALSE(sent->signatures[0].access_hash.empty());
  auto got = service_->Get(viewer_, sent->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "NDA");
  EXPECT_EQ(OutboxCount(), 1);
}

TEST_F(SignatureRequestServiceTest, OnlyTheFirstOrderedSignerIsMailed) {
  SendInput in = Basic();
  in.signers = {{"B", "b@example.com", 1, "", ""}, {"A", "a@example.com", 0, "", ""}};
  auto sent = service_->Send(viewer_, in);
  ASSERT_TRUE(sent.ok());
  auto claimed = stores_.mail_queue->ClaimDue(clock_.NowSeconds() + 1, 100, 60);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message.to_email, "a@example.com");
  EXPECT_NE((*claimed)[0].message.text_body.find("http://sign.test/sign/"), std::string::npos);
}

TEST_F(SignatureRequestServiceTest, RejectsBadInputWithPaths) {
  SendInput none = Basic();
  none.files.clear();
  EXPECT_EQ(service_->Send(viewer_, none).status().path(), "files");
  SendInput bad_email = Basic();
  bad_email.signers[0].email = "nope";
  EXPECT_EQ(service_->Send(viewer_, bad_email).status().path(), "signers[0].email_address");
  SendInput not_pdf = Basic();
  not_pdf.files[0].data = "hello";
  EXPECT_EQ(service_->Send(viewer_, not_pdf).status().path(), "files[0]");
  SendInput meta = Basic();
  for (int i = 0; i < 11; ++i) meta.metadata["k" + std::to_string(i)] = "v";
  EXPECT_EQ(service_->Send(viewer_, meta).status().path(), "metadata");
  SendInput url = Basic();
  url.files.clear();
  url.file_urls = {"https://files.example/missing.pdf"};
  EXPECT_EQ(service_->Send(viewer_, url).status().path(), "file_urls[0]");
}

// Every file under the blob store's folder (blobs and temp files).
int FilesUnder(const std::filesystem::path& root) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    n += e.is_regular_file();
  return n;
}

TEST_F(SignatureRequestServiceTest, AFailedSendLeavesNoBlobNoTempFileAndNoRow) {
  // The second document is not a PDF: the first, valid one is not written either.
  SendInput second_bad = Basic();
  second_bad.files.push_back({"notes.pdf", "hello"});
  EXPECT_EQ(service_->Send(viewer_, second_bad).status().path(), "files[1]");
  // A field off its page fails after every document was inspected, before any is written.
  SendInput off_page = Basic();
  FormField field;
  field.api_id = "f1";
  field.type = "text";
  field.signer = "0";
  field.x = 100000;
  field.y = 10;
  field.width = 50;
  field.height = 20;
  field.page = 1;
  off_page.form_fields.push_back(field);
  EXPECT_EQ(service_->Send(viewer_, off_page).status().code(), Code::kInvalidArgument);
  // A downloaded file that is not a PDF: its temp file is removed.
  fetcher_.pages["https://files.example/notes.pdf"] = "hello";
  SendInput url = Basic();
  url.files.clear();
  url.file_urls = {"https://files.example/notes.pdf"};
  EXPECT_EQ(service_->Send(viewer_, url).status().path(), "file_urls[0]");
  EXPECT_EQ(FilesUnder(root_), 0);
  auto listed = service_->List(viewer_, ListInput{});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->requests.empty());
  // The same send done right stores its one document once, no temp file left.
  ASSERT_TRUE(service_->Send(viewer_, Basic()).ok());
  EXPECT_EQ(FilesUnder(root_), 1);
}

TEST_F(SignatureRequestServiceTest, FileUrlsAreFetchedAndStored) {
  fetcher_.pages["https://files.example/a.pdf"] = testing::TinyPdf(3);
  SendInput in = Basic();
  in.files.clear();
  in.file_urls = {"https://files.example/a.pdf"};
  auto sent = service_->Send(viewer_, in);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->files[0].name, "a.pdf");
  EXPECT_EQ(sent->files[0].page_count, 3);
}

TEST_F(SignatureRequestServiceTest, AppTokensSeeOnlyTheirOwnRequests) {
  auto direct = service_->Send(viewer_, Basic());
  ASSERT_TRUE(direct.ok());
  RequestViewer app_viewer{sender_.account.id, sender_.account.email, "app1", {}, {}};
  EXPECT_EQ(service_->Get(app_viewer, direct->id).status().code(), Code::kNotFound);
  auto via_app = service_->Send(app_viewer, Basic());
  ASSERT_TRUE(via_app.ok());
  EXPECT_TRUE(service_->Get(app_viewer, via_app->id).ok());
  EXPECT_TRUE(service_->Get(viewer_, via_app->id).ok());
  RequestViewer other_app{sender_.account.id, sender_.account.email, "app2", {}, {}};
  EXPECT_EQ(service_->Get(other_app, via_app->id).status().code(), Code::kNotFound);
  auto listed = service_->List(app_viewer, ListInput{});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 1);
  auto all = service_->List(viewer_, ListInput{});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 2);
}

TEST_F(SignatureRequestServiceTest, CancelOnceThenGone) {
  auto sent = service_->Send(viewer_, Basic());
  ASSERT_TRUE(sent.ok());
  EXPECT_TRUE(service_->Cancel(viewer_, sent->id).ok());
  EXPECT_EQ(service_->Cancel(viewer_, sent->id).code(), Code::kGone);
  EXPECT_EQ(service_->Get(viewer_, sent->id).status().code(), Code::kGone);
  auto listed = service_->List(viewer_, ListInput{});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 0);
  EXPECT_TRUE(listed->requests.empty());
}

TEST_F(SignatureRequestServiceTest, RemindAtMostHourly) {
  auto sent = service_->Send(viewer_, Basic());
  ASSERT_TRUE(sent.ok());
  EXPECT_TRUE(service_->Remind(viewer_, sent->id, "jack@example.com", "").ok());
  EXPECT_EQ(service_->Remind(viewer_, sent->id, "jack@example.com", "").status().code(),
            Code::kConflict);
  clock_.Advance(3600);
  EXPECT_TRUE(service_->Remind(viewer_, sent->id, "jack@example.com", "").ok());
  EXPECT_EQ(service_->Remind(viewer_, sent->id, "nobody@example.com", "").status().path(),
            "email_address");
}

TEST_F(SignatureRequestServiceTest, NewEmailGivesANewSignatureId) {
  auto sent = service_->Send(viewer_, Basic());
  ASSERT_TRUE(sent.ok());
  SignerChange change;
  change.signature_id = sent->signatures[0].signature_id;
  change.email = "jill@example.com";
  auto updated = service_->Update(viewer_, sent->id, change);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_NE(updated->signatures[0].signature_id, change.signature_id);
  auto got = service_->Get(viewer_, sent->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->signatures[0].email, "jill@example.com");
  EXPECT_EQ(got->signatures[0].signature_id, updated->signatures[0].signature_id);
}

TEST_F(SignatureRequestServiceTest, ListSearchesTitleRecipientAndWords) {
  SendInput a = Basic();
  a.title = "Alpha contract";
  ASSERT_TRUE(service_->Send(viewer_, a).ok());
  clock_.Advance(1);
  SendInput b = Basic();
  b.title = "Beta lease";
  b.signers[0].email = "jill@example.com";
  ASSERT_TRUE(service_->Send(viewer_, b).ok());
  auto by_title = service_->List(viewer_, ListInput{1, 20, "title:alpha"});
  ASSERT_TRUE(by_title.ok());
  ASSERT_EQ(by_title->total, 1);
  EXPECT_EQ(by_title->requests[0].title, "Alpha contract");
  auto by_to = service_->List(viewer_, ListInput{1, 20, "to:jill@example.com"});
  ASSERT_TRUE(by_to.ok());
  EXPECT_EQ(by_to->total, 1);
  auto words = service_->List(viewer_, ListInput{1, 20, "lease AND beta"});
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(words->total, 1);
  auto page2 = service_->List(viewer_, ListInput{2, 1, ""});
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->total, 2);
  ASSERT_EQ(page2->requests.size(), 1u);
  EXPECT_EQ(page2->requests[0].title, "Alpha contract");  // newest first
}

TEST_F(SignatureRequestServiceTest, SignerPinLocksAfterFiveWrongOnesUntilTheLockExpires) {
  SendInput in = Basic();
  in.signers[0].pin = "2468";
  auto sent = service_->Send(viewer_, in);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->signatures[0].pin_hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u);
  SigningService signing(*stores_.signature_requests, clock_);
  SignerSession session{*stores_.signature_requests->Get(sent->id), 0};
  ASSERT_TRUE(SigningService::NeedsPin(session));
  EXPECT_EQ(signing.CheckPinPass(session, "").code(), Code::kUnauthenticated);
  for (int i = 0; i < 4; ++i) {
    StatusOr<std::string> wrong = signing.VerifyPin(session, "1357");
    EXPECT_EQ(wrong.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(wrong.status().path(), "pin");
  }
  EXPECT_EQ(signing.VerifyPin(session, "1357").status().code(), Code::kResourceExhausted);
  EXPECT_EQ(signing.VerifyPin(session, "2468").status().code(), Code::kResourceExhausted);
  clock_.Advance(SigningService::kPinLockSeconds - 1);
  EXPECT_EQ(signing.VerifyPin(session, "2468").status().code(), Code::kResourceExhausted);
  clock_.Advance(1);
  StatusOr<std::string> pass = signing.VerifyPin(session, "2468");
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_TRUE(signing.CheckPinPass(session, *pass).ok());
  EXPECT_EQ(signing.CheckPinPass(session, std::string(pass->size(), '0')).code(),
            Code::kUnauthenticated);
  SignatureInput typed{"typed", "Jack", "", "", /*esign_consent=*/true, {}};
  EXPECT_EQ(signing.Sign(session, typed, "127.0.0.1", "test").code(), Code::kUnauthenticated);
  typed.pin_pass = *pass;
  EXPECT_TRUE(signing.Sign(session, typed, "127.0.0.1", "test").ok());
}

TEST_F(SignatureRequestServiceTest, TextTagsBecomeStoredFieldsAndCanBeHidden) {
  SendInput in = Basic();
  pdf_bytes_ = testing::TextPdf({"BT /F1 12 Tf 72 700 Td (Sign: [sig|req|signer1]) Tj ET"});
  in.files = {{"tagged.pdf", pdf_bytes_}};
  auto plain = service_->Send(viewer_, in);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->form_fields_json, "");  // use_text_tags not asked for

  in.use_text_tags = true;
  auto tagged = service_->Send(viewer_, in);
  ASSERT_TRUE(tagged.ok()) << tagged.status().ToString();
  auto fields = ParseFormFields(nlohmann::json::parse(tagged->form_fields_json));
  ASSERT_TRUE(fields.ok()) << tagged->form_fields_json;
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ(fields->at(0).type, "signature");
  EXPECT_EQ(tagged->files[0].sha256, plain->files[0].sha256);

  in.hide_text_tags = true;
  auto hidden = service_->Send(viewer_, in);
  ASSERT_TRUE(hidden.ok()) << hidden.status().ToString();
  EXPECT_EQ(hidden->form_fields_json, tagged->form_fields_json);
  EXPECT_NE(hidden->files[0].sha256, plain->files[0].sha256);
  auto stored = service_->Get(viewer_, hidden->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->files[0].sha256, hidden->files[0].sha256);

  in.signers.pop_back();
  in.signers.push_back({"Jill", "jill@example.com", std::nullopt, "", {}});
  pdf_bytes_ = testing::TextPdf({"BT /F1 12 Tf 72 700 Td ([sig|req|signer2]) Tj ET"});
  in.files = {{"tagged.pdf", pdf_bytes_}};
  auto refused = service_->Send(viewer_, in);
  EXPECT_EQ(refused.status().path(), "files[0]");
}

}  // namespace
}  // namespace countersign
