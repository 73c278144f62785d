// SignatureRequestService: which documents a send (or a template) may have, and storing them.
// The per-file work (size limits, fetching, inspecting) is in signature_request_service.cc.
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
    std::vector<std::vector<PageBox>>& pages) {
  std::vector<RequestFile> stored;
  for (size_t i = 0; i < files.size(); ++i) {
    CS_ASSIGN_OR_RETURN(RequestFile f, StoreUpload(files[i], i, pages));
    stored.push_back(std::move(f));
  }
  const int64_t fetch_deadline = clock_.NowSeconds() + options_.fetch_total_seconds;
  for (size_t i = 0; i < file_urls.size(); ++i) {
    CS_ASSIGN_OR_RETURN(RequestFile f, StoreUrl(file_urls[i], i, fetch_deadline, pages));
    stored.push_back(std::move(f));
  }
  return stored;
}

}  // namespace countersign
