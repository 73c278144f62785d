// The emailed confirmation link and "send a new link". Opening the link never uses it (mail
// scanners open links); the form on the page does, with the session's CSRF token.
#include "web/confirm_pages.h"

#include <string>

#include "service/account_confirmation_service.h"
#include "web/ctemplate_headers.h"

namespace countersign::web {
namespace {

constexpr char kAuthorizeFirst[] = "Before you can authorize apps, confirm your email address.";

// The page for a link that cannot be used: unknown (404), used (410, with a log-in link),
// expired (410, with a form asking for a new link) or a locked account (403).
http::Response InvalidLink(PageContext& page, const Status& status) {
  int http_status = 404;
  std::string heading = "Link not valid";
  const char* section = "RESEND";
  switch (status.code()) {
    case Code::kNotFound:
      break;
    case Code::kConflict:
      http_status = 410;
      heading = "Link already used";
      section = "LOGIN";
      break;
    case Code::kGone:
      http_status = 410;
      heading = "Link expired";
      break;
    default:
      return page.Error(status);
  }
  Page invalid("confirm_invalid.html", heading);
  invalid.data().SetValue("HEADING", heading);
  invalid.data().SetValue("MESSAGE", status.message());
  invalid.data().ShowSection(section);
  return page.Render(http_status, invalid);
}

http::Response ConfirmForm(PageContext& page, int status, const std::string& token,
                           const ConfirmationLink& link, const std::string& error) {
  Page form("confirm.html", "Confirm your email address");
  ctemplate::TemplateDictionary& data = form.data();
  data.SetValue("EMAIL", link.account.email);
  data.SetValue("TOKEN", token);
  if (!link.app_name.empty()) data.SetValueAndShowSection("APP_NAME", link.app_name, "APP");
  data.ShowSection(link.needs_password ? "PASSWORD" : "NO_PASSWORD");
  if (!error.empty()) data.SetValueAndShowSection("MESSAGE", error, "ERROR");
  return page.Render(status, form);
}

http::Response Notice(PageContext& page, int status, const std::string& heading,
                      const std::string& message, const std::string& href,
                      const std::string& link_text) {
  Page notice("notice.html", heading);
  notice.data().SetValue("HEADING", heading);
  notice.data().SetValue("MESSAGE", message);
  if (!href.empty()) {
    ctemplate::TemplateDictionary* link = notice.data().AddSectionDictionary("LINK");
    link->SetValue("HREF", href);
    link->SetValue("TEXT", link_text);
  }
  return page.Render(status, notice);
}

http::Response OpenLink(PageContext& page) {
  std::string token = page.Query("token");
  StatusOr<ConfirmationLink> link = page.web().confirmations.Inspect(token);
  if (!link.ok()) return InvalidLink(page, link.status());
  return ConfirmForm(page, 200, token, *link, "");
}

http::Response UseLink(PageContext& page) {
  std::string token = page.Form("token");
  StatusOr<ConfirmedAccount> confirmed =
      page.web().confirmations.Confirm(token, page.Form("password"));
  if (!confirmed.ok()) {
    if (confirmed.status().code() != Code::kInvalidArgument) {
      return InvalidLink(page, confirmed.status());
    }
    StatusOr<ConfirmationLink> link = page.web().confirmations.Inspect(token);
    if (!link.ok()) return InvalidLink(page, link.status());
    return ConfirmForm(page, 400, token, *link, confirmed.status().message());
  }
  // The link proved the mailbox (like a password reset): log the user in.
  if (Status st = page.LogIn(confirmed->account); !st.ok()) return page.Error(st);
  if (confirmed->client_id.empty()) return page.Redirect("/home");
  return page.Redirect("/account/authorize?client_id=" + http::UrlEncode(confirmed->client_id));
}

http::Response Resend(PageContext& page) {
  AccountConfirmationService& confirmations = page.web().confirmations;
  if (!page.logged_in()) {
    std::string email = page.Form("email");
    if (Status st = confirmations.ResendTo(email); !st.ok()) return page.Error(st);
    return Notice(page, 200, "Check your email",
                  "If " + email +
                      " belongs to an account that still needs confirming, we have sent it a new "
                      "link.",
                  "/login", "Log in");
  }
  const Account& account = page.account();
  Status st = confirmations.Resend(account.id);
  if (st.code() == Code::kConflict) {
    return Notice(page, 200, "Already confirmed", "Your email address is already confirmed.",
                  "/home", "Home");
  }
  if (st.code() == Code::kResourceExhausted) {
    return page.ErrorPage(429, "Please wait a moment", st.message());
  }
  if (!st.ok()) return page.Error(st);
  return Notice(page, 200, "Check your email",
                "We have sent a new confirmation link to " + account.email + ".", "/home", "Home");
}

}  // namespace

http::Response ConfirmFirstPage(PageContext& page, const std::string& what) {
  Page confirm_first("confirm_first.html", "Confirm your email address first");
  confirm_first.data().SetValue("WHAT", what.empty() ? kAuthorizeFirst : what);
  confirm_first.data().SetValue("EMAIL", page.account().email);
  return page.Render(403, confirm_first);
}

void RegisterConfirmPages(http::Router& router, WebContext& web) {
  router.Add("GET", "/account/confirm", WrapPage(web, OpenLink));
  router.Add("POST", "/account/confirm", WrapPage(web, UseLink), http::Lane::kCompute);
  router.Add("POST", "/account/confirm/resend", WrapPage(web, Resend));
}

}  // namespace countersign::web
