// GET /sign/{signature_id}/page/{file_index}/{page}.png: the signing page's page images,
// through PagePreviews (pixel budget, time limit, cache, bounded concurrent renders). Errors are
// short plain-text answers (the <img> shows nothing); 503 + Retry-After when every render slot
// is busy. DocumentPageImage is the part after the access check, also used by the template
// editor's images. Thread-safe.
#include <string>
#include <string_view>

#include "web/page_context.h"
#include "web/signing_pages.h"

namespace countersign::web {

namespace {

constexpr char kRetryAfterSeconds[] = "2";

// A decimal index of at most 6 digits, or -1.
int ParseIndex(std::string_view text) {
  if (text.empty() || text.size() > 6) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

http::Response Plain(int status, const char* text) {
  http::Response response;
  response.status = status;
  response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  AddSecurityHeaders(response);
  response.body = text;
  return response;
}

}  // namespace

http::Response DocumentPageImage(WebContext& web, const std::vector<RequestFile>& files,
                                 std::string_view file_param, std::string_view page_param) {
  std::string page_name(page_param);
  if (page_name.size() < 5 || page_name.substr(page_name.size() - 4) != ".png") {
    return Plain(404, "Not found.");
  }
  int file_index = ParseIndex(file_param);
  int page_index = ParseIndex(page_name.substr(0, page_name.size() - 4));
  if (file_index < 0 || static_cast<size_t>(file_index) >= files.size() || page_index < 0 ||
      page_index >= files[file_index].page_count) {
    return Plain(404, "Not found.");
  }
  const std::string& sha256 = files[file_index].sha256;
  StatusOr<std::string> path = web.blobs->PathOf(sha256);
  if (!path.ok()) return Plain(500, "The document could not be read.");
  StatusOr<std::string> png = web.previews->Png(sha256, *path, page_index);
  if (!png.ok()) {
    switch (png.status().code()) {
      case Code::kUnavailable: {
        http::Response busy = Plain(503, "Busy preparing pages. Try again in a moment.");
        busy.SetHeader("Retry-After", kRetryAfterSeconds);
        return busy;
      }
      case Code::kNotFound:
        return Plain(404, "Not found.");
      default:
        return Plain(500, "The page could not be rendered.");
    }
  }
  http::Response response;
  AddSecurityHeaders(response);
  response.SetHeader("Content-Type", "image/png");
  response.SetHeader("Cache-Control", "private, max-age=300");
  response.body = std::move(*png);
  return response;
}

http::Response SignerPageImage(WebContext& web, http::Request& request) {
  StatusOr<SignerSession> session = web.signing->Open(
      std::string(request.PathParam("signature_id")), std::string(request.Query("t").value_or("")));
  if (!session.ok()) {
    return Plain(session.status().code() == Code::kGone ? 410 : 404, "This link is not valid.");
  }
  if (!web.signing->CheckPinPass(*session, SignerPinPass(request)).ok()) {
    return Plain(403, "Enter your PIN on the signing page first.");
  }
  return DocumentPageImage(web, session->request.files, request.PathParam("file_index"),
                           request.PathParam("page"));
}

}  // namespace countersign::web
