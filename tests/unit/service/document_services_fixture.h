// ServiceFixture plus the services that hold documents: real blobs in a temporary folder, qpdf,
// no URL fetching (every file_url fails), SignatureRequestService and TemplateService, and two
// accounts with their viewers (me_, them_). For the template and draft service tests.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "files/file_blob_store.h"
#include "pdf/qpdf_inspector.h"
#include "service/service_fixture.h"
#include "service/signature_request_service.h"
#include "service/template_service.h"

namespace countersign {

class NoFetcher : public UrlFetcher {
 public:
  Status Fetch(const std::string& url, const std::string&, const FetchOptions&) override {
    return InvalidArgument("Could not download " + url);
  }
};

class DocumentServicesFixture : public ServiceFixture {
 protected:
  // `me` and `them` are the two accounts' emails.
  void SetUpDocuments(const std::string& me, const std::string& them) {
    ServiceFixture::SetUp();
    root_ = std::filesystem::temp_directory_path() / ("cs_docs_" + RandomHex(6));
    auto blobs = FileBlobStore::Open(root_.string());
    ASSERT_TRUE(blobs.ok());
    blobs_ = std::move(blobs).value();
    url_.Set("http://sign.test");
    requests_ = std::make_unique<SignatureRequestService>(
        *stores_.signature_requests, *stores_.accounts, *stores_.apps, *blobs_, pdf_, fetcher_,
        clock_, url_, SignatureRequestService::Options{});
    templates_ = std::make_unique<TemplateService>(*stores_.templates, *stores_.accounts,
                                                   *requests_, *blobs_, clock_);
    mine_ = MakeAccount(me);
    theirs_ = MakeAccount(them);
    me_ = {mine_.account.id, mine_.account.email, "", "", ""};
    them_ = {theirs_.account.id, theirs_.account.email, "", "", ""};
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
  std::unique_ptr<FileBlobStore> blobs_;
  QpdfInspector pdf_;
  NoFetcher fetcher_;
  PublicUrl url_;
  std::unique_ptr<SignatureRequestService> requests_;
  std::unique_ptr<TemplateService> templates_;
  NewAccount mine_;
  NewAccount theirs_;
  RequestViewer me_;
  RequestViewer them_;
};

}  // namespace countersign
