// A fixture for page tests: the real services over in-memory SQLite with a FakeClock, the
// embedded templates, and a Router with every web route. `Browser` plays a browser: it keeps
// the session cookie and builds requests for Router::Dispatch.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "http/message.h"
#include "http/router.h"
#include "service/account_confirmation_service.h"
#include "service/account_service.h"
#include "service/app_service.h"
#include "service/event_service.h"
#include "service/oauth_service.h"
#include "service/session_service.h"
#include "store/sqlite/sqlite_stores.h"
#include "web/renderer.h"
#include "web/web_routes.h"

namespace countersign::web {

// The value of the first response header `name` (case-sensitive is enough here), or "".
inline std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class Browser {
 public:
  explicit Browser(http::Router& router) : router_(router) {}

  // GET `target` ("/path?query").
  http::Response Get(const std::string& target) {
    http::Request request = Build("GET", target);
    return Send(request);
  }
  // POST `target` with an urlencoded form body (no csrf_token added).
  http::Response Post(const std::string& target, const http::Params& form) {
    http::Request request = Build("POST", target);
    for (const auto& [name, value] : form) {
      if (!request.body.empty()) request.body += "&";
      request.body += http::UrlEncode(name) + "=" + http::UrlEncode(value);
    }
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return Send(request);
  }
  // Like Post, with the csrf_token of the last page that had one.
  http::Response Submit(const std::string& target, http::Params form) {
    form.emplace_back("csrf_token", csrf_);
    return Post(target, form);
  }

  // POST `target` as multipart/form-data: the text parts `form` with the csrf_token of the last
  // page, then one file part per `files` entry (part name, file name, bytes).
  http::Response SubmitMultipart(
      const std::string& target, http::Params form,
      const std::vector<std::tuple<std::string, std::string, std::string>>& files) {
    const std::string boundary = "cs-test-boundary-7d1f";
    form.emplace_back("csrf_token", csrf_);
    http::Request request = Build("POST", target);
    for (const auto& [name, value] : form) {
      request.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                      "\"\r\n\r\n" + value + "\r\n";
    }
    for (const auto& [name, filename, data] : files) {
      request.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                      "\"; filename=\"" + filename + "\"\r\nContent-Type: application/pdf\r\n\r\n" +
                      data + "\r\n";
    }
    request.body += "--" + boundary + "--\r\n";
    request.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
    return Send(request);
  }

  const std::string& cookie() const { return cookie_; }
  const std::string& csrf() const { return csrf_; }

 private:
  http::Request Build(const std::string& method, const std::string& target) {
    http::Request request;
    request.method = method;
    size_t q = target.find('?');
    request.path = http::UrlDecode(target.substr(0, q), false);
    if (q != std::string::npos) {
      request.raw_query = target.substr(q + 1);
      request.query = http::ParseUrlEncoded(request.raw_query);
    }
    if (!cookie_.empty()) request.headers.emplace_back("Cookie", cookie_name_ + "=" + cookie_);
    request.remote_ip = "127.0.0.1";
    return request;
  }

  http::Response Send(http::Request& request) {
    http::Response response = router_.Dispatch(request);
    std::string set_cookie = HeaderOf(response, "Set-Cookie");
    for (const char* name : {"cs_session=", "__Host-cs_session="}) {
      if (set_cookie.rfind(name, 0) != 0) continue;
      const size_t start = std::string_view(name).size();
      cookie_name_ = std::string(name, start - 1);
      std::string value = set_cookie.substr(start, set_cookie.find(';') - start);
      cookie_ = set_cookie.find("Max-Age=0") == std::string::npos ? value : "";
    }
    std::smatch match;
    static const std::regex kCsrf("name=\"csrf_token\" value=\"([^\"]+)\"");
    if (std::regex_search(response.body, match, kCsrf)) csrf_ = match[1];
    return response;
  }

  http::Router& router_;
  std::string cookie_;
  std::string cookie_name_ = "cs_session";
  std::string csrf_;
};

class WebFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    auto stores = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    stores_ = std::move(stores).value();
    accounts_ = std::make_unique<AccountService>(*stores_.accounts, clock_,
                                                 AccountService::Options{true, 8});
    apps_ = std::make_unique<AppService>(*stores_.apps, clock_);
    oauth_ = std::make_unique<OAuthService>(*stores_.apps, *stores_.oauth, *stores_.accounts,
                                            clock_, OAuthService::Options{});
    sessions_ =
        std::make_unique<SessionService>(*stores_.sessions, clock_, SessionService::Options{});
    events_ = std::make_unique<EventService>(*stores_.events, clock_, nullptr);
    notices_ = std::make_unique<SignUpNotice>(*stores_.mail_queue, *stores_.rate_limits, clock_,
                                              public_url_, SignUpNotice::Options{});
    confirmations_ = std::make_unique<AccountConfirmationService>(
        *accounts_, *apps_, *oauth_, *stores_.confirmations, *notices_, clock_, public_url_,
        AccountConfirmationService::Options{});
    auto renderer = Renderer::CreateDefault();
    ASSERT_TRUE(renderer.ok()) << renderer.status().ToString();
    renderer_ = std::move(renderer).value();
    web_ = std::make_unique<WebContext>(WebContext{*accounts_, *apps_, *oauth_, *sessions_,
                                                   *events_, *confirmations_, *renderer_,
                                                   "http://127.0.0.1:8080", false});
    RegisterWebRoutes(router_, *web_);
  }

  // Signs `email` up through the pages (password "correct horse battery") and leaves
  // `browser` logged in: by following the emailed confirmation link, or, when `confirm` is
  // false, by logging in with the still unconfirmed account.
  void SignUp(Browser& browser, const std::string& email, bool confirm = true) {
    browser.Get("/signup");
    http::Response response =
        browser.Submit("/signup", {{"email", email}, {"password", "correct horse battery"}});
    ASSERT_EQ(response.status, 200) << response.body;
    if (!confirm) {
      browser.Get("/login");
      response =
          browser.Submit("/login", {{"email", email}, {"password", "correct horse battery"}});
      ASSERT_EQ(response.status, 303) << response.body;
      return;
    }
    std::string token = ConfirmationToken(email);
    ASSERT_EQ(browser.Get("/account/confirm?token=" + token).status, 200);
    response = browser.Submit("/account/confirm", {{"token", token}});
    ASSERT_EQ(response.status, 303) << response.body;
  }

  // The token of the newest confirmation link mailed to `email` (marks queued mail sent).
  std::string ConfirmationToken(const std::string& email) {
    auto mails = stores_.mail_queue->ClaimDue(clock_.NowSeconds(), 100, 1);
    EXPECT_TRUE(mails.ok());
    for (const QueuedMail& mail : *mails) {
      EXPECT_TRUE(stores_.mail_queue->MarkSent(mail.id, clock_.NowSeconds()).ok());
      std::smatch m;
      static const std::regex kLink("/account/confirm\\?token=([0-9a-f]+)");
      if (mail.message.to_email == email && std::regex_search(mail.message.text_body, m, kLink)) {
        tokens_[email] = m[1];
      }
    }
    return tokens_[email];
  }

  // An app owned by `owner_email`'s account (created directly through the service).
  NewApp MakeApp(const std::string& owner_email, const std::string& name,
                 const std::string& callback = "https://example.com/oauth", bool approved = true) {
    auto owner = accounts_->FindByEmail(owner_email);
    EXPECT_TRUE(owner.ok()) << owner.status().ToString();
    AppFields fields;
    fields.name = name;
    fields.domains = std::vector<std::string>{"example.com"};
    fields.oauth = OAuthSettings{callback, {"basic_account_info", "request_signature"}};
    auto app = apps_->Create(owner->id, fields);
    EXPECT_TRUE(app.ok()) << app.status().ToString();
    if (approved) {
      EXPECT_TRUE(apps_->Approve(app->app.client_id).ok());
    }
    return std::move(app).value();
  }

  FakeClock clock_;
  Stores stores_;
  std::unique_ptr<AccountService> accounts_;
  std::unique_ptr<AppService> apps_;
  std::unique_ptr<OAuthService> oauth_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<EventService> events_;
  PublicUrl public_url_{"http://127.0.0.1:8080"};
  std::unique_ptr<SignUpNotice> notices_;
  std::unique_ptr<AccountConfirmationService> confirmations_;
  std::map<std::string, std::string> tokens_;  // email -> newest confirmation token seen
  std::unique_ptr<Renderer> renderer_;
  std::unique_ptr<WebContext> web_;
  http::Router router_;
};

}  // namespace countersign::web
