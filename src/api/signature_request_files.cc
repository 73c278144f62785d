// Downloads: /v3/signature_request/files{,_as_data_uri,_as_file_url}/{id} and the signed link
// GET /files/{id}. Before completion the documents are the files as sent: one PDF (merged
// when there are several) or a ZIP of each file.
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/rate_limits.h"
#include "api/respond.h"
#include "api/signature_request_routes.h"
#include "files/zip_writer.h"
#include "http/status_mapping.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kScopes = {"request_signature", "signature_request_access"};
constexpr int64_t kFileUrlTtlSeconds = 3600;

// Removes a temporary file when it goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A file name safe in a Content-Disposition header.
std::string SafeName(const std::string& title, const char* extension) {
  std::string out;
  for (char c : title) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == ' ' ? c : '_');
  }
  if (out.empty()) out = "document";
  if (out.size() > 100) out.resize(100);
  const std::string ext(extension);
  if (!ext.empty() && out.size() >= ext.size() &&
      out.compare(out.size() - ext.size(), ext.size(), ext) == 0) {
    return out;  // "x.pdf" stays "x.pdf"
  }
  return out + ext;
}

// The request's documents as one PDF: the sealed final PDF once it is made; 409 while it is
// being made; before completion (or when making it failed) the documents as sent.
StatusOr<std::string> PdfBytes(SignatureRequestApiContext& ctx, const SignatureRequest& r) {
  if (r.final_state == FinalState::kPending) {
    return Conflict("The completed document is being prepared. Try again in a moment.");
  }
  if (r.final_state == FinalState::kReady) {
    CS_ASSIGN_OR_RETURN(std::string path, ctx.blobs.PathOf(r.final_sha256));
    return ReadFile(path);
  }
  CS_ASSIGN_OR_RETURN(auto paths, ctx.requests.DocumentPaths(r));
  if (paths.size() == 1) return ReadFile(paths.front());
  TempFile merged(ctx.blobs.NewTempPath());
  CS_RETURN_IF_ERROR(ctx.pdf.Merge(paths, merged.path()));
  return ReadFile(merged.path());
}

StatusOr<std::string> ZipBytes(SignatureRequestApiContext& ctx, const SignatureRequest& r) {
  if (r.final_state == FinalState::kPending) {
    return Conflict("The completed document is being prepared. Try again in a moment.");
  }
  std::vector<ZipEntry> entries;
  if (r.final_state == FinalState::kReady) {
    CS_ASSIGN_OR_RETURN(std::string path, ctx.blobs.PathOf(r.final_sha256));
    entries.push_back({SafeName(r.title, ".pdf"), path});
    TempFile zip(ctx.blobs.NewTempPath());
    CS_RETURN_IF_ERROR(WriteZip(entries, zip.path()));
    return ReadFile(zip.path());
  }
  CS_ASSIGN_OR_RETURN(auto paths, ctx.requests.DocumentPaths(r));
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string name = SafeName(r.files[i].name, "");
    if (name.size() < 4 || name.substr(name.size() - 4) != ".pdf") name += ".pdf";
    entries.push_back({std::to_string(i + 1) + "-" + name, paths[i]});
  }
  TempFile zip(ctx.blobs.NewTempPath());
  CS_RETURN_IF_ERROR(WriteZip(entries, zip.path()));
  return ReadFile(zip.path());
}

http::Response Binary(std::string body, const char* type, const std::string& filename,
                      bool attachment) {
  http::Response r;
  r.status = 200;
  r.body = std::move(body);
  r.SetHeader("Content-Type", type);
  r.SetHeader("Content-Disposition", std::string(attachment ? "attachment" : "inline") +
                                         "; filename=\"" + filename + "\"");
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("X-Content-Type-Options", "nosniff");
  // A PDF opened in the browser runs in an opaque origin without scripts, forms or popups,
  // so a hostile document cannot act as this site.
  r.SetHeader("Content-Security-Policy", "sandbox");
  return r;
}

http::Response Files(SignatureRequestApiContext& ctx, const http::Request& req) {
  auto p = ctx.auth.Authenticate(req, kScopes);
  if (!p.ok()) return http::ErrorResponse(p.status());
  std::string type(req.Query("file_type").value_or("pdf"));
  if (type != "pdf" && type != "zip") {
    return http::ErrorResponse(InvalidArgument("file_type must be pdf or zip", "file_type"));
  }
  RequestViewer viewer{p->account.id, p->account.email, p->via_api_key ? "" : p->client_id};
  auto r = ctx.requests.Get(viewer, std::string(req.PathParam("id")));
  if (!r.ok()) return http::ErrorResponse(r.status());
  auto bytes = type == "pdf" ? PdfBytes(ctx, *r) : ZipBytes(ctx, *r);
  if (!bytes.ok()) return http::ErrorResponse(bytes.status());
  return type == "pdf"
             ? Binary(std::move(bytes).value(), "application/pdf", SafeName(r->title, ".pdf"), true)
             : Binary(std::move(bytes).value(), "application/zip", SafeName(r->title, ".zip"),
                      true);
}

StatusOr<json> DataUri(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  RequestViewer viewer{p.account.id, p.account.email, p.via_api_key ? "" : p.client_id};
  CS_ASSIGN_OR_RETURN(SignatureRequest r,
                      ctx.requests.Get(viewer, std::string(req.PathParam("id"))));
  CS_ASSIGN_OR_RETURN(std::string pdf, PdfBytes(ctx, r));
  std::string b64(sodium_base64_ENCODED_LEN(pdf.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(pdf.data()),
                    pdf.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.size() - 1);  // the terminating NUL
  return json{{"data_uri", "data:application/pdf;base64," + b64}};
}

StatusOr<json> FileUrl(SignatureRequestApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  RequestViewer viewer{p.account.id, p.account.email, p.via_api_key ? "" : p.client_id};
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
  auto r = ctx.requests.GetById(id);
  if (!r.ok()) return http::ErrorResponse(r.status());
  auto bytes = PdfBytes(ctx, *r);
  if (!bytes.ok()) return http::ErrorResponse(bytes.status());
  return Binary(std::move(bytes).value(), "application/pdf", SafeName(r->title, ".pdf"), dl == "1");
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
