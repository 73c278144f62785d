// SignatureRequestService: which documents a send (or a template) may have, and storing them.
// The per-file checks (size limits, fetching, inspecting) are in signature_request_service.cc.
#include <utility>

#include "files/temp_files.h"
#include "service/signature_request_service.h"

namespace countersign {

Status SignatureRequestService::CheckDocumentSources(size_t file_count, size_t url_count) const {
  if (file_count == 0 && url_count == 0) {
    return InvalidArgument("Either files or file_urls is required", "files");
  }
  if (file_count != 0 && url_count != 0) {
    return InvalidArgument("Send either files or file_urls, not both", "file_urls");
  }
  if (file_count + url_count > options_.max_files) {
    return InvalidArgument("At most " + std::to_string(options_.max_files) + " files are allowed",
                           file_count == 0 ? "file_urls" : "files");
  }
  return Status::Ok();
}

StatusOr<std::vector<RequestFile>> SignatureRequestService::StoreDocuments(
    const std::vector<UploadedFile>& files, const std::vector<std::string>& file_urls,
    std::vector<std::vector<PageBox>>& pages, const DocumentCheck& check) {
  std::vector<RequestFile> stored;
  for (size_t i = 0; i < files.size(); ++i) {
    CS_ASSIGN_OR_RETURN(RequestFile f, InspectUpload(files[i], i, pages));
    stored.push_back(std::move(f));
  }
  TempFiles fetched;
  const int64_t fetch_deadline = clock_.NowSeconds() + options_.fetch_total_seconds;
  for (size_t i = 0; i < file_urls.size(); ++i) {
    const std::string& temp = fetched.Add(blobs_.NewTempPath());
    CS_ASSIGN_OR_RETURN(RequestFile f, FetchUrl(file_urls[i], i, fetch_deadline, temp, pages));
    stored.push_back(std::move(f));
  }
  if (check) CS_RETURN_IF_ERROR(check(pages));
  // Every document is valid: now write them.
  for (size_t i = 0; i < files.size(); ++i) {
    CS_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.Put(files[i].data));
    stored[i].sha256 = blob.sha256;
    stored[i].size = blob.size;
  }
  for (size_t i = 0; i < file_urls.size(); ++i) {
    CS_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.PutFile(fetched.Release(i)));
    stored[files.size() + i].sha256 = blob.sha256;
    stored[files.size() + i].size = blob.size;
  }
  for (size_t i = 0; i < stored.size() && i < pages.size(); ++i) {
    for (const PageBox& box : pages[i]) stored[i].page_sizes.push_back({box.width, box.height});
  }
  return stored;
}

std::vector<std::vector<PageBox>> PageBoxesOf(const std::vector<RequestFile>& files) {
  std::vector<std::vector<PageBox>> pages;
  for (const RequestFile& f : files) {
    std::vector<PageBox>& document = pages.emplace_back();
    for (int p = 0; p < f.page_count; ++p) {
      const DisplayedPageSize size = PageSizeOf(f, p);
      document.push_back(PageBox{size.width, size.height});
    }
  }
  return pages;
}

}  // namespace countersign
