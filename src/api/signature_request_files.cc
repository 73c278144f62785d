// Downloads: /v3/signature_request/files{,_as_data_uri,_as_file_url}/{id} and the signed link
// GET /files/{id} (?file_type=pdf|zip, as the API's files call). Before completion the documents
// are the files as sent: one PDF (merged when there are several) or a ZIP of each file.
#include "api/document_download.h"
#include "api/rate_limits.h"
#include "api/request_viewer.h"
#include "api/respond.h"
#include "api/signature_request_routes.h"
#include "http/status_mapping.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kScopes = {"request_signature", "signature_request_access"};
constexpr int64_t kFileUrlTtlSeconds = 3600;

// The request's documents as one PDF: the sealed final PDF once it is made; 409 while it is
// being made; before completion (or when making it failed) the documents as sent.
StatusOr<std::string> PdfBytes(SignatureRequestApiContext& ctx, const SignatureRequest& r) {
  if (r.final_state == FinalState::kPending) {
    return Conflict("The completed document is being prepared. Try again in a moment.");
  }
  if (r.final_state == FinalState::kReady) {
    CS_ASSIGN_OR_RETURN(std::string path, ctx.blobs.PathOf(r.final_sha256));
    return ReadWholeFile(path);
  }
  CS_ASSIGN_OR_RETURN(auto paths, ctx.requests.DocumentPaths(r));
  return MergedPdf(ctx.pdf, ctx.blobs, paths);
}

StatusOr<std::string> ZipBytes(SignatureRequestApiContext& ctx, const SignatureRequest& r) {
  if (r.final_state == FinalState::kPending) {
    return Conflict("The completed document is being prepared. Try again in a moment.");
  }
  if (r.final_state == FinalState::kReady) {
    CS_ASSIGN_OR_RETURN(std::string path, ctx.blobs.PathOf(r.final_sha256));
    return SingleZip(ctx.blobs, path, SafeName(r.title, ".pdf"));
  }
  CS_ASSIGN_OR_RETURN(auto paths, ctx.requests.DocumentPaths(r));
  std::vector<std::string> names;
  for (const RequestFile& f : r.files) names.push_back(f.name);
  return NumberedZip(ctx.blobs, paths, names);
}

// The `file_type` query: true for "zip", false for "pdf" (the default); kInvalidArgument for
// anything else.
StatusOr<bool> WantsZip(const http::Request& req) {
  const std::string_view type = req.Query("file_type").value_or("pdf");
  if (type != "pdf" && type != "zip") {
    return InvalidArgument("file_type must be pdf or zip", "file_type");
  }
  return type == "zip";
}

// The documents of `r` as a PDF or ZIP download (`attachment`: Content-Disposition attachment
// rather than inline).
http::Response Download(SignatureRequestApiContext& ctx, const SignatureRequest& r, bool zip,
                        bool attachment) {
  StatusOr<std::string> bytes = zip ? ZipBytes(ctx, r) : PdfBytes(ctx, r);
  if (!bytes.ok()) return http::ErrorResponse(bytes.status());
  return zip ? Binary(std::move(bytes).value(), "application/zip", SafeName(r.title, ".zip"),
                      attachment)
             : Binary(std::move(bytes).value(), "application/pdf", SafeName(r.title, ".pdf"),
                      attachment);
}

http::Response Files(SignatureRequestApiContext& ctx, const http::Request& req) {
  auto p = ctx.auth.Authenticate(req, kScopes);
  if (!p.ok()) return http::ErrorResponse(p.status());
  StatusOr<bool> zip = WantsZip(req);
  if (!zip.ok()) return http::ErrorResponse(zip.status());
  const RequestViewer viewer = ViewerOf(*p, req);
  auto r = ctx.requests.Get(viewer, std::string(req.PathParam("id")));
  if (!r.ok()) return http::ErrorResponse(r.status());
  return Download(ctx, *r, *zip, true);
}

StatusOr<json> DataUri(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  const RequestViewer viewer = ViewerOf(p, req);
  CS_ASSIGN_OR_RETURN(SignatureRequest r,
                      ctx.requests.Get(viewer, std::string(req.PathParam("id"))));
  CS_ASSIGN_OR_RETURN(std::string pdf, PdfBytes(ctx, r));
  return json{{"data_uri", PdfDataUri(pdf)}};
}

StatusOr<json> FileUrl(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  const RequestViewer viewer = ViewerOf(p, req);
  CS_ASSIGN_OR_RETURN(SignatureRequest r,
                      ctx.requests.Get(viewer, std::string(req.PathParam("id"))));
  std::string force(req.Query("force_download").value_or("1"));
  if (force != "0" && force != "1") {
    return InvalidArgument("force_download must be 0 or 1", "force_download");
  }
  int64_t expires_at = 0;
  std::string query = ctx.url_signer.SignQuery(r.id, force == "1", kFileUrlTtlSeconds, expires_at);
  return json{{"file_url", ctx.public_url.Get() + "/files/" + r.id + "?" + query},
              {"expires_at", expires_at}};
}

http::Response SignedDownload(SignatureRequestApiContext& ctx, const http::Request& req) {
  const std::string id(req.PathParam("id"));
  const std::string dl(req.Query("dl").value_or(""));
  Status ok = ctx.url_signer.Verify(id, std::string(req.Query("expires").value_or("")), dl,
                                    std::string(req.Query("sig").value_or("")));
  if (!ok.ok()) return http::ErrorResponse(ok);
  // The signature grants the documents; the format is the holder's choice (the web app's
  // request page offers both).
  StatusOr<bool> zip = WantsZip(req);
  if (!zip.ok()) return http::ErrorResponse(zip.status());
  auto r = ctx.requests.GetById(id);
  if (!r.ok()) return http::ErrorResponse(r.status());
  return Download(ctx, *r, *zip, dl == "1");
}

}  // namespace

void RegisterSignatureRequestFileRoutes(http::Router& router, SignatureRequestApiContext& ctx) {
  // Downloads merge or zip the documents: PDF work, off the HTTP threads.
  AddApiRoute(
      router, "GET", "/v3/signature_request/files/{id}",
      [&ctx](http::Request& r) { return Files(ctx, r); }, http::Lane::kCompute);
  AddApiRoute(
      router, "GET", "/v3/signature_request/files_as_data_uri/{id}",
      [&ctx](http::Request& r) { return Respond(DataUri(ctx, r)); }, http::Lane::kCompute);
  AddApiRoute(router, "GET", "/v3/signature_request/files_as_file_url/{id}",
              [&ctx](http::Request& r) { return Respond(FileUrl(ctx, r)); });
  router.Add(
      "GET", "/files/{id}", [&ctx](http::Request& r) { return SignedDownload(ctx, r); },
      http::Lane::kCompute);
}

}  // namespace countersign::api
