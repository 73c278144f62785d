// PageContext: the per-request state of a page — the browser session (resumed from the
// `cs_session` cookie or freshly started), the logged-in account, the parsed form of a POST —
// and the helpers that turn a Page, a redirect or an error into a response carrying the
// contract's security headers and, when the session changed, the session cookie.
// WrapPage / WrapAccountPage adapt a page handler to an http::Handler and enforce CSRF on
// every POST. One PageContext per request; not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "http/multipart.h"
#include "http/router.h"
#include "model/records.h"
#include "service/session_service.h"
#include "service/signature_request_service.h"
#include "web/renderer.h"
#include "web/web_routes.h"

namespace countersign::web {

inline constexpr char kSessionCookie[] = "cs_session";
// Its name over https: a "__Host-" cookie is only accepted from this host over a secure
// connection (Secure, Path=/, no Domain), so a sibling subdomain or a plain-http response cannot
// plant a session of its choosing (login CSRF).
inline constexpr char kSecureSessionCookie[] = "__Host-cs_session";

class PageContext {
 public:
  PageContext(WebContext& web, http::Request& request);

  // Resumes the session named by the cookie, or starts an anonymous one; parses the body of a
  // POST as a form (urlencoded or multipart). Errors when the session store fails, and
  // kInvalidArgument for a malformed multipart body.
  Status Load();

  WebContext& web() { return web_; }
  const http::Request& request() const { return request_; }
  const BrowserSession& session() const { return session_; }
  bool logged_in() const { return account_.has_value(); }
  // The logged-in account; only when logged_in().
  const Account& account() const { return *account_; }

  // First form value named `name` (POST body), or "".
  std::string Form(std::string_view name) const;
  // The route's path parameter `name` ("id" of /requests/{id}), decoded; "" when absent.
  std::string Param(std::string_view name) const;
  // Every form value named `name`, in order (repeated checkboxes).
  std::vector<std::string> FormAll(std::string_view name) const;
  // Every form value, in order.
  const http::Params& form() const { return form_; }
  // The file parts of a multipart/form-data POST, in order (their data borrows the body).
  const std::vector<http::FormPart>& files() const { return files_; }
  // First query value named `name`, or "".
  std::string Query(std::string_view name) const;
  bool CsrfOk() const;

  // Logs `account` in on a fresh session id (set as the cookie on the response).
  Status LogIn(const Account& account);
  // Ends the session and clears the cookie.
  Status LogOut();

  // `page` inside the layout, with the navigation and the CSRF token filled in.
  http::Response Render(int status, Page& page);
  // 303 to `location`.
  http::Response Redirect(const std::string& location);
  // 303 to /login, with `next` = the current URL when the request is a GET.
  http::Response RedirectToLogin();
  // The error page for a non-OK `status` (400/401/403/404; 500 hides the message).
  http::Response Error(const Status& status);
  // The error page with an explicit HTTP status and message.
  http::Response ErrorPage(int http_status, const std::string& heading, const std::string& message);

  // Adds the security headers and, when the session changed, Set-Cookie.
  void Finish(http::Response& response) const;
  // Lets this page's <style nonce="`nonce`"> elements apply (the nonce: fresh random text).
  void AllowStyleNonce(std::string nonce) { style_nonce_ = std::move(nonce); }
  // Lets `origin` (one "scheme://host[:port]") frame this response; every other page stays
  // unframeable.
  void AllowFraming(std::string origin) { frame_ancestor_ = std::move(origin); }

 private:
  // kSecureSessionCookie when the site is served over https, else kSessionCookie.
  std::string SessionCookieName() const;

  WebContext& web_;
  const http::Request& request_;
  http::Params form_;
  std::vector<http::FormPart> files_;
  BrowserSession session_;
  std::optional<Account> account_;
  bool set_cookie_ = false;
  bool clear_cookie_ = false;
  std::string style_nonce_;
  std::string frame_ancestor_;
};

using PageHandler = std::function<http::Response(PageContext&)>;

// An http::Handler that loads the PageContext, answers a POST without the session's
// csrf_token with a 403 page, runs `handler` and finishes the response.
http::Handler WrapPage(WebContext& web, PageHandler handler);
// Like WrapPage, for pages that need a logged-in account: others get RedirectToLogin().
http::Handler WrapAccountPage(WebContext& web, PageHandler handler);
// Like WrapPage without the session's CSRF check, for a page whose every POST carries a
// per-link secret that `handler` verifies instead (the embedded signing page: a cross-site
// frame gets no SameSite cookie, and a forged POST cannot know the secret).
http::Handler WrapSecretLinkPage(WebContext& web, PageHandler handler);
// A handler answering `body` as a cacheable static file of `content_type`.
http::Handler StaticText(std::string content_type, std::string_view body);

// The request's User-Agent header, or "" (for the audit trail).
std::string UserAgent(const http::Request& request);
// The logged-in account of `page` as the services' RequestViewer (no app token).
RequestViewer AccountViewer(const PageContext& page);

// `next` when it is a local path ("/…", not "//…" or "/\…", no control characters or
// spaces), else "/home".
std::string SafeNext(std::string_view next);
// The HTTP status of an error page for `code`.
int HttpStatusFor(Code code);
// Adds the headers every page response carries (frame, CSP, nosniff, referrer, no-store);
// with a `style_nonce`, the CSP also allows <style nonce="..."> elements carrying it; with a
// `frame_ancestor` origin, that origin (only) may frame the page.
void AddSecurityHeaders(http::Response& response, std::string_view style_nonce = {},
                        std::string_view frame_ancestor = {});

}  // namespace countersign::web
