// The signer's pages (DESIGN.md security rules): every request re-checks the emailed link
// (signature id + secret `t`) through SigningService::Open; the POST also carries the anonymous
// session's CSRF token. Page previews are PNGs rendered server-side, so the page needs no PDF
// viewer and the only script is the same-origin /static/sign.js (signature pad).
// A signer sent with a PIN first gets the PIN form (sign_pin.html); the right PIN sets the
// `cs_pin` cookie (HttpOnly, scoped to /sign/<signature_id>) holding SigningService's pass,
// which the form, the page images and the sign/decline POST all require.
#include "web/signing_pages.h"

#include <cstdlib>
#include <optional>
#include <string>

#include "core/crypto.h"
#include "web/ctemplate_headers.h"
#include "web/form_refusal.h"
#include "web/page_context.h"
#include "web/sign_form.h"

namespace countersign::web {
namespace {

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
      return page.ErrorPage(
          410,
          status.path() == "expires_at" ? "This request has expired" : "This request is closed",
          status.message());
    case Code::kPermissionDenied:
      return page.ErrorPage(403, "Not your turn yet", status.message());
    case Code::kConflict:
      return page.ErrorPage(409, "Already signed", status.message());
    default:
      return page.Error(status);
  }
}

constexpr char kPinCookie[] = "cs_pin";

// The form as the mailed link shows it.
FormTarget MailedLink(const SignerSession& session) {
  FormTarget target;
  target.action = "/sign/" + session.signer().signature_id;
  return target;
}

// The PIN step, with `error` (may be empty) shown above the form.
http::Response PinForm(PageContext& page, const SignerSession& session, const std::string& token,
                       int http_status, const std::string& error) {
  const SignatureRequest& request = session.request;
  std::string title = request.title.empty() ? "Signature request" : request.title;
  Page form("sign_pin.html", "PIN required");
  ctemplate::TemplateDictionary& data = form.data();
  data.SetValue("TITLE", title);
  data.SetValue("SENDER_EMAIL", request.requester_email);
  data.SetValue("SIGNER_NAME", session.signer().name);
  data.SetValue("FORM_ACTION", "/sign/" + session.signer().signature_id);
  data.SetValue("TOKEN", token);
  if (!error.empty()) data.AddSectionDictionary("ERROR")->SetValue("TEXT", error);
  return page.Render(http_status, form);
}

// POST action=pin: the right PIN sets the pass cookie and goes back to the form.
http::Response SubmitPin(PageContext& page, const SignerSession& session,
                         const std::string& token) {
  StatusOr<std::string> pass = page.web().signing->VerifyPin(session, page.Form("pin"));
  if (!pass.ok()) {
    const Status& st = pass.status();
    if (st.code() == Code::kInvalidArgument)
      return PinForm(page, session, token, 400, st.message());
    if (st.code() == Code::kResourceExhausted) {
      return PinForm(page, session, token, 429, st.message());
    }
    return page.Error(st);
  }
  const std::string& signature_id = session.signer().signature_id;
  http::Response response = page.Redirect(Link(signature_id, "", token));
  std::string cookie = std::string(kPinCookie) + "=" + *pass + "; Path=/sign/" + signature_id +
                       "; HttpOnly; SameSite=Lax";
  if (page.web().secure_cookies) cookie += "; Secure";
  response.headers.emplace_back("Set-Cookie", std::move(cookie));
  return response;
}

http::Response ShowSign(PageContext& page) {
  std::string signature_id = page.Param("signature_id");
  std::string token = page.Query("t");
  StatusOr<SignerSession> session = page.web().signing->Open(signature_id, token);
  if (!session.ok()) return SignerError(page, session.status());
  if (Status st = page.web().signing->CheckCanAct(*session); !st.ok()) {
    return SignerError(page, st);
  }
  if (!page.web().signing->CheckPinPass(*session, SignerPinPass(page.request())).ok()) {
    return PinForm(page, *session, token, 200, "");
  }
  if (Status st = page.web().signing->RecordView(*session, page.request().remote_ip,
                                                 UserAgent(page.request()));
      !st.ok()) {
    return page.Error(st);
  }
  return SignForm(page, *session, token, 200, "", MailedLink(*session));
}

http::Response SubmitSign(PageContext& page) {
  std::string signature_id = page.Param("signature_id");
  std::string token = page.Form("t");
  SigningService& signing = *page.web().signing;
  StatusOr<SignerSession> session = signing.Open(signature_id, token);
  if (!session.ok()) return SignerError(page, session.status());
  if (Status st = signing.CheckCanAct(*session); !st.ok()) return SignerError(page, st);
  if (page.Form("action") == "pin") return SubmitPin(page, *session, token);
  const std::string pass = SignerPinPass(page.request());
  if (!signing.CheckPinPass(*session, pass).ok()) {
    return PinForm(page, *session, token, 403, "Enter your PIN to open this document.");
  }
  StatusOr<std::string> done = ActOnForm(page, *session, pass);
  if (!done.ok()) {
    const std::optional<FormRefusal> refusal = FormRefusalOf(done.status());
    if (!refusal) return SignerError(page, done.status());
    // The message alone: a parameter path means nothing to a signer.
    return SignForm(page, *session, token, refusal->http_status, done.status().message(),
                    MailedLink(*session));
  }
  return page.Redirect(Link(signature_id, "/done", token));
}

// The page after signing or declining, by what this signer did (not by the link's query: a
// closed request's other signers get its error, and a signer who has done neither goes back to
// the form).
http::Response Done(PageContext& page) {
  std::string signature_id = page.Param("signature_id");
  std::string token = page.Query("t");
  StatusOr<SignerSession> session = page.web().signing->Open(signature_id, token);
  if (!session.ok()) return SignerError(page, session.status());
  const std::string& status = session->signer().status_code;
  if (status != "signed" && status != "declined")
    return page.Redirect(Link(signature_id, "", token));
  const bool declined = status == "declined";
  Page done("sign_done.html", declined ? "Declined" : "Thank you");
  ctemplate::TemplateDictionary& data = done.data();
  if (declined) {
    data.ShowSection("DECLINED");
  } else {
    data.ShowSection("SIGNED");
    if (!session->request.signing_redirect_url.empty()) {
      data.AddSectionDictionary("REDIRECT")->SetValue("URL", session->request.signing_redirect_url);
    }
  }
  return page.Render(200, done);
}

}  // namespace

std::string SignerPinPass(const http::Request& request) {
  return request.Cookie(kPinCookie).value_or("");
}

void RegisterSigningPages(http::Router& router, WebContext& web) {
  if (web.signing == nullptr || web.blobs == nullptr || web.previews == nullptr) return;
  router.Add("GET", "/sign/{signature_id}", WrapPage(web, ShowSign));
  // PIN checks (argon2id) and page rendering run on the compute queue.
  router.Add("POST", "/sign/{signature_id}", WrapPage(web, SubmitSign), http::Lane::kCompute);
  router.Add("GET", "/sign/{signature_id}/done", WrapPage(web, Done));
  router.Add(
      "GET", "/sign/{signature_id}/page/{file_index}/{page}",
      [&web](http::Request& request) { return SignerPageImage(web, request); },
      http::Lane::kCompute);
  router.Add("GET", "/static/sign.js", StaticText("text/javascript; charset=utf-8", SignScript()));
  router.Add("GET", "/static/sign.css", StaticText("text/css; charset=utf-8", SignStyleSheet()));
}

}  // namespace countersign::web
