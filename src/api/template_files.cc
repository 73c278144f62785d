// Downloads of a template's documents: /v3/template/files{,_as_data_uri,_as_file_url}/{id}
// and the signed link GET /template_files/{id}: one PDF (merged when there are several) or a
// ZIP of each file, as the signature request downloads are made (api/document_download.h).
#include "api/document_download.h"
#include "api/rate_limits.h"
#include "api/request_viewer.h"
#include "api/respond.h"
#include "api/template_routes.h"
#include "http/status_mapping.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kScopes = {"template_access"};
constexpr int64_t kFileUrlTtlSeconds = 3600;

StatusOr<std::string> PdfBytes(TemplateApiContext& ctx, const Template& t) {
  CS_ASSIGN_OR_RETURN(auto paths, ctx.templates.DocumentPaths(t));
  return MergedPdf(ctx.pdf, ctx.blobs, paths);
}

StatusOr<Template> Find(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  CS_ASSIGN_OR_RETURN(TemplateView v,
                      ctx.templates.Get(ViewerOf(p, req), std::string(req.PathParam("id"))));
  return std::move(v.tmpl);
}

http::Response Files(TemplateApiContext& ctx, const http::Request& req) {
  auto t = Find(ctx, req);
  if (!t.ok()) return http::ErrorResponse(t.status());
  std::string type(req.Query("file_type").value_or("pdf"));
  if (type != "pdf" && type != "zip") {
    return http::ErrorResponse(InvalidArgument("file_type must be pdf or zip", "file_type"));
  }
  if (type == "pdf") {
    auto bytes = PdfBytes(ctx, *t);
    if (!bytes.ok()) return http::ErrorResponse(bytes.status());
    return Binary(std::move(bytes).value(), "application/pdf", SafeName(t->title, ".pdf"), true);
  }
  auto paths = ctx.templates.DocumentPaths(*t);
  if (!paths.ok()) return http::ErrorResponse(paths.status());
  std::vector<std::string> names;
  for (const RequestFile& f : t->files) names.push_back(f.name);
  auto zip = NumberedZip(ctx.blobs, *paths, names);
  if (!zip.ok()) return http::ErrorResponse(zip.status());
  return Binary(std::move(zip).value(), "application/zip", SafeName(t->title, ".zip"), true);
}

StatusOr<json> DataUri(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Template t, Find(ctx, req));
  CS_ASSIGN_OR_RETURN(std::string pdf, PdfBytes(ctx, t));
  return json{{"data_uri", PdfDataUri(pdf)}};
}

StatusOr<json> FileUrl(TemplateApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Template t, Find(ctx, req));
  std::string force(req.Query("force_download").value_or("1"));
  if (force != "0" && force != "1") {
    return InvalidArgument("force_download must be 0 or 1", "force_download");
  }
  int64_t expires_at = 0;
  std::string query =
      ctx.url_signer.SignQuery(TemplateLinkId(t.id), force == "1", kFileUrlTtlSeconds, expires_at);
  return json{{"file_url", ctx.public_url.Get() + "/template_files/" + t.id + "?" + query},
              {"expires_at", expires_at}};
}

// The link proves the access; the template is read without a viewer. A template deleted
// since is 404.
http::Response SignedDownload(TemplateApiContext& ctx, const http::Request& req) {
  const std::string id(req.PathParam("id"));
  const std::string dl(req.Query("dl").value_or(""));
  Status ok =
      ctx.url_signer.Verify(TemplateLinkId(id), std::string(req.Query("expires").value_or("")), dl,
                            std::string(req.Query("sig").value_or("")));
  if (!ok.ok()) return http::ErrorResponse(ok);
  auto t = ctx.templates.GetById(id);
  if (!t.ok()) return http::ErrorResponse(t.status());
  auto bytes = PdfBytes(ctx, *t);
  if (!bytes.ok()) return http::ErrorResponse(bytes.status());
  return Binary(std::move(bytes).value(), "application/pdf", SafeName(t->title, ".pdf"), dl == "1");
}

}  // namespace

std::string TemplateLinkId(const std::string& template_id) { return "template:" + template_id; }

void RegisterTemplateFileRoutes(http::Router& router, TemplateApiContext& ctx) {
  // Downloads merge or zip the documents: PDF work, off the HTTP threads.
  AddApiRoute(
      router, "GET", "/v3/template/files/{id}", [&ctx](http::Request& r) { return Files(ctx, r); },
      http::Lane::kCompute);
  AddApiRoute(
      router, "GET", "/v3/template/files_as_data_uri/{id}",
      [&ctx](http::Request& r) { return Respond(DataUri(ctx, r)); }, http::Lane::kCompute);
  AddApiRoute(router, "GET", "/v3/template/files_as_file_url/{id}",
              [&ctx](http::Request& r) { return Respond(FileUrl(ctx, r)); });
  router.Add(
      "GET", "/template_files/{id}", [&ctx](http::Request& r) { return SignedDownload(ctx, r); },
      http::Lane::kCompute);
}

}  // namespace countersign::api
