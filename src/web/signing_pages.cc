// The signer's pages (DESIGN.md security rules): every request re-checks the emailed link
// (signature id + secret `t`) through SigningService::Open; the POST also carries the anonymous
// session's CSRF token. Page previews are PNGs rendered server-side, so the page needs no PDF
// viewer and the only script is the same-origin /static/sign.js (signature pad).
#include "web/signing_pages.h"

#include <cstdlib>
#include <string>

#include "pdf/page_renderer.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"

namespace countersign::web {
namespace {

constexpr double kPreviewDpi = 100;

std::string Link(const std::string& signature_id, const std::string& suffix,
                 const std::string& token) {
  return "/sign/" + signature_id + suffix + "?t=" + http::UrlEncode(token);
}

// The error page for a failed Open/CheckCanAct.
http::Response SignerError(PageContext& page, const Status& status) {
  switch (status.code()) {
    case Code::kNotFound:
      return page.ErrorPage(404, "Link not valid",
                            "This signing link is not valid. It may have been replaced by a "
                            "newer email; please use the most recent link you received.");
    case Code::kGone:
      return page.ErrorPage(410, "This request is closed", status.message());
    case Code::kPermissionDenied:
      return page.ErrorPage(403, "Not your turn yet", status.message());
    case Code::kConflict:
      return page.ErrorPage(409, "Already signed", status.message());
    default:
      return page.Error(status);
  }
}

std::string UserAgent(const http::Request& request) {
  return std::string(request.Header("User-Agent").value_or(""));
}

// The signing form for `session`, with `error` (may be empty) shown above it.
http::Response SignForm(PageContext& page, const SignerSession& session, const std::string& token,
                        int http_status, const std::string& error) {
  const SignatureRequest& request = session.request;
  const Signature& signer = session.signer();
  std::string title = request.title.empty() ? "Signature request" : request.title;
  Page form("sign.html", title);
  ctemplate::TemplateDictionary& data = form.data();
  data.SetValue("TITLE", title);
  data.SetValue("SENDER_EMAIL", request.requester_email);
  if (!request.message.empty()) {
    data.AddSectionDictionary("MESSAGE")->SetValue("TEXT", request.message);
  }
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  data.SetValue("SIGNER_NAME", signer.name);
  data.SetValue("SIGNER_EMAIL", signer.email);
  data.SetValue("FORM_ACTION", "/sign/" + signer.signature_id);
  data.SetValue("TOKEN", token);
  for (size_t f = 0; f < request.files.size(); ++f) {
    const RequestFile& file = request.files[f];
    ctemplate::TemplateDictionary* doc = data.AddSectionDictionary("DOCUMENT");
    doc->SetValue("NAME", file.name);
    for (int p = 0; p < file.page_count; ++p) {
      ctemplate::TemplateDictionary* img = doc->AddSectionDictionary("PAGE");
      img->SetValue("SRC",
                    Link(signer.signature_id,
                         "/page/" + std::to_string(f) + "/" + std::to_string(p) + ".png", token));
      img->SetValue("ALT", "Page " + std::to_string(p + 1) + " of " + file.name);
    }
  }
  bool typed = SigningService::KindAllowed(request, "typed");
  bool drawn = SigningService::KindAllowed(request, "drawn");
  std::string chosen = page.Form("kind");
  if (chosen != "typed" && chosen != "drawn") chosen = typed ? "typed" : "drawn";
  if (typed) {
    ctemplate::TemplateDictionary* t = data.AddSectionDictionary("TYPED");
    std::string name = page.request().method == "POST" ? page.Form("typed_name") : signer.name;
    t->SetValue("NAME", name);
    if (chosen == "typed") t->ShowSection("CHECKED");
  }
  if (drawn) {
    ctemplate::TemplateDictionary* d = data.AddSectionDictionary("DRAWN");
    if (chosen == "drawn" || !typed) d->ShowSection("CHECKED");
  }
  if (request.allow_decline) data.ShowSection("DECLINE");
  return page.Render(http_status, form);
}

http::Response ShowSign(PageContext& page) {
  std::string signature_id(page.request().PathParam("signature_id"));
  std::string token = page.Query("t");
  StatusOr<SignerSession> session = page.web().signing->Open(signature_id, token);
  if (!session.ok()) return SignerError(page, session.status());
  if (Status st = page.web().signing->CheckCanAct(*session); !st.ok()) {
    return SignerError(page, st);
  }
  if (Status st = page.web().signing->RecordView(*session, page.request().remote_ip,
                                                 UserAgent(page.request()));
      !st.ok()) {
    return page.Error(st);
  }
  return SignForm(page, *session, token, 200, "");
}

http::Response SubmitSign(PageContext& page) {
  std::string signature_id(page.request().PathParam("signature_id"));
  std::string token = page.Form("t");
  SigningService& signing = *page.web().signing;
  StatusOr<SignerSession> session = signing.Open(signature_id, token);
  if (!session.ok()) return SignerError(page, session.status());
  if (Status st = signing.CheckCanAct(*session); !st.ok()) return SignerError(page, st);
  std::string ip = page.request().remote_ip;
  std::string agent = UserAgent(page.request());
  std::string action = page.Form("action");
  Status result;
  if (action == "sign") {
    SignatureInput input;
    input.kind = page.Form("kind");
    input.typed_name = page.Form("typed_name");
    input.strokes_json = page.Form("strokes");
    if (input.kind == "drawn" && input.strokes_json.empty()) {
      return SignForm(page, *session, token, 400, "Draw your signature before signing.");
    }
    result = signing.Sign(*session, input, ip, agent);
  } else if (action == "decline") {
    result = signing.Decline(*session, page.Form("reason"), ip, agent);
  } else {
    return SignForm(page, *session, token, 400, "Choose Sign or Decline.");
  }
  if (!result.ok()) {
    if (result.code() == Code::kInvalidArgument || result.code() == Code::kPermissionDenied) {
      return SignForm(page, *session, token, 400, result.message());
    }
    return SignerError(page, result);
  }
  return page.Redirect(Link(signature_id, "/done", token) +
                       (action == "decline" ? "&declined=1" : ""));
}

http::Response Done(PageContext& page) {
  std::string signature_id(page.request().PathParam("signature_id"));
  std::string token = page.Query("t");
  bool declined = page.Query("declined") == "1";
  StatusOr<SignerSession> session = page.web().signing->Open(signature_id, token);
  // A declined request is closed (kGone) for its signers; the decliner still gets their page.
  if (!session.ok() && !(declined && session.status().code() == Code::kGone)) {
    return SignerError(page, session.status());
  }
  Page done("sign_done.html", declined ? "Declined" : "Thank you");
  ctemplate::TemplateDictionary& data = done.data();
  if (declined) {
    data.ShowSection("DECLINED");
  } else {
    data.ShowSection("SIGNED");
    if (session.ok() && !session->request.signing_redirect_url.empty()) {
      data.AddSectionDictionary("REDIRECT")->SetValue("URL", session->request.signing_redirect_url);
    }
  }
  return page.Render(200, done);
}

int ParseIndex(std::string_view text) {
  if (text.empty() || text.size() > 6) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

void RegisterSigningPages(http::Router& router, WebContext& web) {
  if (web.signing == nullptr || web.blobs == nullptr) return;
  router.Add("GET", "/sign/{signature_id}", WrapPage(web, ShowSign));
  // PIN checks (argon2id) and page rendering run on the compute queue.
  router.Add("POST", "/sign/{signature_id}", WrapPage(web, SubmitSign), http::Lane::kCompute);
  router.Add("GET", "/sign/{signature_id}/done", WrapPage(web, Done));
  router.Add("GET", "/sign/{signature_id}/page/{file_index}/{page}",
             [&web](http::Request& request) {
               http::Response response;
               auto fail = [&response](int status, const char* text) {
                 response.status = status;
                 response.SetHeader("Content-Type", "text/plain; charset=utf-8");
                 AddSecurityHeaders(response);
                 response.body = text;
                 return response;
               };
               std::string page_name(request.PathParam("page"));
               if (page_name.size() < 5 || page_name.substr(page_name.size() - 4) != ".png") {
                 return fail(404, "Not found.");
               }
               int file_index = ParseIndex(request.PathParam("file_index"));
               int page_index = ParseIndex(page_name.substr(0, page_name.size() - 4));
               StatusOr<SignerSession> session =
                   web.signing->Open(std::string(request.PathParam("signature_id")),
                                     std::string(request.Query("t").value_or("")));
               if (!session.ok()) {
                 return fail(session.status().code() == Code::kGone ? 410 : 404,
                             "This link is not valid.");
               }
               const SignatureRequest& sr = session->request;
               if (file_index < 0 || static_cast<size_t>(file_index) >= sr.files.size() ||
                   page_index < 0) {
                 return fail(404, "Not found.");
               }
               StatusOr<std::string> pdf = web.blobs->Read(sr.files[file_index].sha256);
               if (!pdf.ok()) return fail(500, "The document could not be read.");
               static const PopplerPageRenderer renderer;
               StatusOr<std::string> png = renderer.RenderPng(*pdf, page_index, kPreviewDpi);
               if (!png.ok()) {
                 return fail(png.status().code() == Code::kNotFound ? 404 : 500,
                             "The page could not be rendered.");
               }
               AddSecurityHeaders(response);
               response.SetHeader("Content-Type", "image/png");
               response.SetHeader("Cache-Control", "private, max-age=300");
               response.body = std::move(*png);
               return response;
             },
             http::Lane::kCompute);
  router.Add("GET", "/static/sign.js", [](http::Request&) {
    http::Response response;
    response.SetHeader("Content-Type", "text/javascript; charset=utf-8");
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("Cache-Control", "public, max-age=3600");
    response.body = std::string(SignScript());
    return response;
  });
  router.Add("GET", "/static/sign.css", [](http::Request&) {
    http::Response response;
    response.SetHeader("Content-Type", "text/css; charset=utf-8");
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("Cache-Control", "public, max-age=3600");
    response.body = std::string(SignStyleSheet());
    return response;
  });
}

}  // namespace countersign::web
