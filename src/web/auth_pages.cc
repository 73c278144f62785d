// Sign-up, log-in and log-out pages.
#include <string>

#include "service/validation.h"
#include "web/ctemplate_headers.h"
#include "web/page_context.h"
#include "web/pages.h"

namespace countersign::web {
namespace {

// The signup or login form, with `next` carried along and an optional error message.
http::Response AuthForm(PageContext& page, int status, const char* template_name, const char* title,
                        const std::string& email, const std::string& next,
                        const std::string& error) {
  Page form(template_name, title);
  form.data().SetValue("EMAIL", email);
  form.data().SetValue("NEXT", next);
  form.data().SetValue("NEXT_PARAM", http::UrlEncode(next));
  if (!error.empty()) form.data().SetValueAndShowSection("MESSAGE", error, "ERROR");
  return page.Render(status, form);
}

http::Response Root(PageContext& page) {
  return page.Redirect(page.logged_in() ? "/home" : "/login");
}

http::Response SignupForm(PageContext& page) {
  return AuthForm(page, 200, "signup.html", "Sign up", "", SafeNext(page.Query("next")), "");
}

// The answer to every well-formed sign-up, whether the address is new or taken (then its owner
// is mailed a notice instead): the same page, status and work, so it does not reveal accounts.
http::Response CheckYourEmail(PageContext& page, const std::string& email,
                              const std::string& next) {
  Page notice("notice.html", "Check your email");
  notice.data().SetValue("HEADING", "Check your email");
  notice.data().SetValue("MESSAGE", "We sent a link to " + email +
                                        " to finish signing up. Open it to confirm your "
                                        "email address; it may take a minute to arrive.");
  ctemplate::TemplateDictionary* link = notice.data().AddSectionDictionary("LINK");
  link->SetValue("HREF", "/login?next=" + http::UrlEncode(next));
  link->SetValue("TEXT", "Already confirmed? Log in");
  return page.Render(200, notice);
}

http::Response Signup(PageContext& page) {
  std::string email = page.Form("email");
  std::string next = SafeNext(page.Form("next"));
  // A new address starts unconfirmed and gets a confirmation mail (docs/account-creation.md);
  // nobody is logged in until that link is used.
  Status st = page.web().confirmations.SignUp(email, page.Form("password"));
  if (st.code() == Code::kInvalidArgument) {
    return AuthForm(page, 400, "signup.html", "Sign up", email, next, st.message());
  }
  if (!st.ok()) return page.Error(st);
  return CheckYourEmail(page, ToLower(Trim(email)), next);
}

http::Response LoginForm(PageContext& page) {
  return AuthForm(page, 200, "login.html", "Log in", "", SafeNext(page.Query("next")), "");
}

void CountLogin(PageContext& page, std::string_view outcome) {
  if (page.web().counters != nullptr) page.web().counters->CountLogin(outcome);
}

http::Response Login(PageContext& page) {
  std::string email = page.Form("email");
  std::string next = SafeNext(page.Form("next"));
  LoginThrottle* throttle = page.web().login_throttle;
  const std::string& ip = page.request().remote_ip;
  if (throttle) {
    Status allowed = throttle->Check(email, ip);
    if (allowed.code() == Code::kResourceExhausted) {
      http::Response refused =
          AuthForm(page, 429, "login.html", "Log in", email, next, allowed.message());
      refused.SetHeader("Retry-After", std::to_string(throttle->SecondsLeft()));
      CountLogin(page, "throttled");
      return refused;
    }
    if (!allowed.ok()) return page.Error(allowed);
  }
  StatusOr<Account> account = page.web().accounts.Authenticate(email, page.Form("password"));
  if (!account.ok()) {
    if (account.status().code() != Code::kUnauthenticated) return page.Error(account.status());
    if (throttle) {
      if (Status st = throttle->RecordFailure(email, ip); !st.ok()) return page.Error(st);
    }
    CountLogin(page, "failure");
    return AuthForm(page, 401, "login.html", "Log in", email, next,
                    "Incorrect email address or password.");
  }
  if (Status st = page.LogIn(*account); !st.ok()) return page.Error(st);
  CountLogin(page, "success");
  return page.Redirect(next);
}

http::Response Logout(PageContext& page) {
  if (Status st = page.LogOut(); !st.ok()) return page.Error(st);
  return page.Redirect("/login");
}

}  // namespace

void RegisterAuthPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/", WrapPage(web, Root));
  router.Add("GET", "/signup", WrapPage(web, SignupForm));
  // Password hashing (argon2id) runs on the compute queue, not the HTTP threads.
  router.Add("POST", "/signup", WrapPage(web, Signup), http::Lane::kCompute);
  router.Add("GET", "/login", WrapPage(web, LoginForm));
  router.Add("POST", "/login", WrapPage(web, Login), http::Lane::kCompute);
  router.Add("POST", "/logout", WrapPage(web, Logout));
}

}  // namespace countersign::web
