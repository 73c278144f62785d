#include "web/page_context.h"

#include <iostream>
#include <utility>

#include "core/log.h"
#include "web/ctemplate_headers.h"

namespace countersign::web {
namespace {

constexpr char kHtmlType[] = "text/html; charset=utf-8";

}  // namespace

PageContext::PageContext(WebContext& web, http::Request& request) : web_(web), request_(request) {}

Status PageContext::Load() {
  if (request_.method == "POST") {
    const std::string_view type = request_.Header("Content-Type").value_or("");
    CS_ASSIGN_OR_RETURN(std::string_view body, request_.Body());
    if (type.starts_with("multipart/form-data")) {
      StatusOr<std::vector<http::FormPart>> parts = http::ParseMultipart(type, body);
      if (!parts.ok()) return parts.status();
      for (http::FormPart& part : *parts) {
        if (part.filename.has_value()) {
          files_.push_back(std::move(part));
        } else {
          form_.emplace_back(part.name, std::string(part.data));
        }
      }
    } else {
      form_ = http::ParseUrlEncoded(body);
    }
  }
  std::optional<std::string> cookie = request_.Cookie(SessionCookieName());
  if (cookie.has_value() && !cookie->empty()) {
    StatusOr<BrowserSession> resumed = web_.sessions.Resume(*cookie);
    if (resumed.ok()) {
      session_ = std::move(resumed).value();
    } else if (resumed.status().code() != Code::kNotFound) {
      return resumed.status();
    }
  }
  if (session_.cookie_value.empty()) {
    CS_ASSIGN_OR_RETURN(session_, web_.sessions.Start());
    set_cookie_ = true;
  }
  if (!session_.account_id.empty()) {
    StatusOr<Account> account = web_.accounts.Get(session_.account_id);
    if (account.ok() && !account->is_locked) {
      account_ = std::move(account).value();
    } else if (!account.ok() && account.status().code() != Code::kNotFound) {
      return account.status();
    }
  }
  return Status::Ok();
}

std::string PageContext::Param(std::string_view name) const {
  return std::string(request().PathParam(name));
}

std::string PageContext::Form(std::string_view name) const {
  for (const auto& [key, value] : form_) {
    if (key == name) return value;
  }
  return "";
}

std::vector<std::string> PageContext::FormAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : form_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

std::string PageContext::Query(std::string_view name) const {
  std::optional<std::string_view> value = request_.Query(name);
  return value.has_value() ? std::string(*value) : std::string();
}

bool PageContext::CsrfOk() const {
  return SessionService::CsrfMatches(session_, Form("csrf_token"));
}

Status PageContext::LogIn(const Account& account) {
  CS_ASSIGN_OR_RETURN(session_, web_.sessions.LogIn(session_.cookie_value, account.id));
  account_ = account;
  set_cookie_ = true;
  clear_cookie_ = false;
  return Status::Ok();
}

Status PageContext::LogOut() {
  CS_RETURN_IF_ERROR(web_.sessions.LogOut(session_.cookie_value));
  session_ = BrowserSession();
  account_.reset();
  set_cookie_ = false;
  clear_cookie_ = true;
  return Status::Ok();
}

http::Response PageContext::Render(int status, Page& page) {
  page.SetNavigation(
      account_.has_value() ? std::optional<std::string>(account_->email) : std::nullopt,
      account_.has_value() && account_->is_admin);
  page.SetCsrfToken(session_.csrf_token);
  http::Response response;
  StatusOr<std::string> html = web_.renderer.Render(page);
  if (!html.ok()) {
    log::Error("web", "page not rendered", {{"error", html.status().ToString()}});
    response.status = 500;
    response.SetHeader("Content-Type", "text/plain; charset=utf-8");
    response.body = "Internal server error.\n";
    return response;
  }
  response.status = status;
  response.SetHeader("Content-Type", kHtmlType);
  response.body = std::move(html).value();
  return response;
}

http::Response PageContext::Redirect(const std::string& location) {
  http::Response response;
  response.status = 303;
  response.SetHeader("Location", location);
  return response;
}

http::Response PageContext::RedirectToLogin() {
  if (request_.method != "GET") return Redirect("/login");
  std::string here = request_.path;
  if (!request_.raw_query.empty()) here += "?" + request_.raw_query;
  return Redirect("/login?next=" + http::UrlEncode(here));
}

http::Response PageContext::Error(const Status& status) {
  int http_status = HttpStatusFor(status.code());
  switch (http_status) {
    case 400:
      return ErrorPage(400, "Bad request", status.message());
    case 401:
      return ErrorPage(401, "Not logged in", status.message());
    case 403:
      return ErrorPage(403, "Not allowed", status.message());
    case 404:
      return ErrorPage(404, "Not found", status.message());
    default:
      log::Write(
          log::Level::kError, "web", "page failed",
          {{"method", request_.method}, {"path", request_.path}, {"error", status.ToString()}},
          request_.request_id);
      return ErrorPage(500, "Something went wrong",
                       "The server could not complete this request. Please try again later.");
  }
}

http::Response PageContext::ErrorPage(int http_status, const std::string& heading,
                                      const std::string& message) {
  Page page("error.html", heading);
  page.data().SetValue("HEADING", heading);
  page.data().SetValue("MESSAGE", message);
  return Render(http_status, page);
}

std::string PageContext::SessionCookieName() const {
  return web_.secure_cookies ? kSecureSessionCookie : kSessionCookie;
}

void PageContext::Finish(http::Response& response) const {
  AddSecurityHeaders(response, style_nonce_, frame_ancestor_);
  std::string attributes = "; Path=/; HttpOnly; SameSite=Lax";
  if (web_.secure_cookies) attributes += "; Secure";
  const std::string name = SessionCookieName();
  if (set_cookie_) {
    response.headers.emplace_back("Set-Cookie", name + "=" + session_.cookie_value + attributes);
  } else if (clear_cookie_) {
    response.headers.emplace_back("Set-Cookie", name + "=" + attributes + "; Max-Age=0");
  }
}

namespace {

http::Handler Wrap(WebContext& web, PageHandler handler, bool needs_account, bool check_csrf) {
  return [&web, handler = std::move(handler), needs_account, check_csrf](http::Request& request) {
    PageContext page(web, request);
    Status loaded = page.Load();
    http::Response response;
    if (!loaded.ok()) {
      response = page.Error(loaded);
    } else if (check_csrf && request.method == "POST" && !page.CsrfOk()) {
      response = page.ErrorPage(403, "Form expired",
                                "This form has expired or did not come from this site. Go back, "
                                "reload the page and try again.");
    } else if (needs_account && !page.logged_in()) {
      response = page.RedirectToLogin();
    } else {
      response = handler(page);
    }
    page.Finish(response);
    return response;
  };
}

}  // namespace

http::Handler WrapPage(WebContext& web, PageHandler handler) {
  return Wrap(web, std::move(handler), /*needs_account=*/false, /*check_csrf=*/true);
}

http::Handler WrapAccountPage(WebContext& web, PageHandler handler) {
  return Wrap(web, std::move(handler), /*needs_account=*/true, /*check_csrf=*/true);
}

http::Handler WrapSecretLinkPage(WebContext& web, PageHandler handler) {
  return Wrap(web, std::move(handler), /*needs_account=*/false, /*check_csrf=*/false);
}

http::Handler StaticText(std::string content_type, std::string_view body) {
  return [content_type = std::move(content_type), body](http::Request&) {
    http::Response response;
    response.SetHeader("Content-Type", content_type);
    response.SetHeader("X-Content-Type-Options", "nosniff");
    response.SetHeader("Cache-Control", "public, max-age=3600");
    response.body = std::string(body);
    return response;
  };
}

std::string UserAgent(const http::Request& request) {
  return std::string(request.Header("User-Agent").value_or(""));
}

RequestViewer AccountViewer(const PageContext& page) {
  return RequestViewer{page.account().id, page.account().email, "", page.request().remote_ip,
                       UserAgent(page.request())};
}

std::string SafeNext(std::string_view next) {
  if (next.size() < 1 || next[0] != '/') return "/home";
  if (next.size() >= 2 && (next[1] == '/' || next[1] == '\\')) return "/home";
  for (char c : next) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return "/home";
  }
  return std::string(next);
}

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kPermissionDenied:
      return 403;
    case Code::kUnauthenticated:
      return 401;
    default:
      return 500;
  }
}

void AddSecurityHeaders(http::Response& response, std::string_view style_nonce,
                        std::string_view frame_ancestor) {
  std::string policy = "default-src 'self'; frame-ancestors ";
  policy.append(frame_ancestor.empty() ? "'none'" : frame_ancestor);
  policy.append("; base-uri 'none'; object-src 'none'");
  if (!style_nonce.empty()) policy.append("; style-src 'self' 'nonce-").append(style_nonce) += "'";
  // X-Frame-Options has no way to name one origin: a framable page sends only the CSP.
  if (frame_ancestor.empty()) response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Content-Security-Policy", std::move(policy));
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("Cache-Control", "no-store");
}

}  // namespace countersign::web
