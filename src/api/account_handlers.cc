// /v3/account, /v3/account/verify, /v3/account/create (CONTRACT.md §4;
// docs/account-creation.md).
#include "api/api_routes.h"
#include "api/fields.h"
#include "api/rate_limits.h"
#include "api/respond.h"
#include "core/json_dump.h"
#include "service/validation.h"
#include "wire/render.h"

namespace countersign::api {

using nlohmann::json;

namespace {

const std::vector<std::string> kReadScopes = {"account_access", "basic_account_info"};
const std::vector<std::string> kWriteScopes = {"account_access"};

// The `unconfirmed` warning item.
json UnconfirmedWarning() {
  return {{"warning_msg",
           "Your email address is not confirmed yet: open the link we emailed you. Until then you "
           "cannot send signature requests or authorize apps."},
          {"warning_name", "unconfirmed"}};
}

// Adds the `unconfirmed` warning while the account's email address is not confirmed.
void AddUnconfirmedWarning(const Account& account, json& body) {
  if (account.email_confirmed) return;
  body["warnings"].push_back(UnconfirmedWarning());
}

// The body is written as text (wire::AccountJson), the bytes DumpJson would write for
// {"account": ..., "warnings": [...]}: this is the hottest authenticated read.
StatusOr<std::string> GetAccount(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kReadScopes));
  // Without a team, the only account a caller may read is its own.
  auto id = req.Query("account_id");
  auto email = req.Query("email_address");
  if (id && !id->empty()) {
    if (*id != p.account.id) return NotFound("Account not found.");
  } else if (email && !email->empty()) {
    if (ToLower(std::string(*email)) != p.account.email) return NotFound("Account not found.");
  }
  std::string body = "{\"account\":";
  body += wire::AccountJson(p.account);
  if (!p.account.email_confirmed) {
    body += ",\"warnings\":[";
    body += DumpJson(UnconfirmedWarning());
    body += ']';
  }
  body += '}';
  return body;
}

StatusOr<json> UpdateAccount(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kWriteScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(auto account_id, f.String("account_id"));
  if (account_id && !account_id->empty() && *account_id != p.account.id) {
    return NotFound("Account not found.");
  }
  AccountChanges changes;
  CS_ASSIGN_OR_RETURN(changes.callback_url, f.String("callback_url"));
  CS_ASSIGN_OR_RETURN(changes.locale, f.String("locale"));
  CS_ASSIGN_OR_RETURN(Account updated, ctx.accounts.Update(p.account.id, changes));
  if (changes.callback_url && !changes.callback_url->empty()) {
    // The update stands even if the test event cannot be recorded; the error is logged.
    LogIfError(ctx.events.AccountCallbackSaved(updated.id), "callback_test");
  }
  json body{{"account", wire::RenderAccount(updated)}};
  AddIgnoredWarnings(f, body);
  AddUnconfirmedWarning(updated, body);
  return body;
}

StatusOr<json> CreateAccount(ApiContext& ctx, const http::Request& req) {
  CS_RETURN_IF_ERROR(ctx.auth.Authenticate(req, kWriteScopes).status());
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  AccountCreateRequest request;
  const std::pair<const char*, std::string*> params[] = {{"email_address", &request.email},
                                                         {"locale", &request.locale},
                                                         {"client_id", &request.client_id},
                                                         {"client_secret", &request.client_secret}};
  for (const auto& [key, value] : params) {
    CS_ASSIGN_OR_RETURN(auto given, f.String(key));
    if (given) *value = std::move(*given);
  }
  CS_ASSIGN_OR_RETURN(CreatedAccount created, ctx.confirmations.CreateForApi(request));
  json body{{"account", wire::RenderAccount(created.account)}};
  if (created.oauth) {
    body["oauth_data"] = {{"access_token", created.oauth->access_token},
                          {"token_type", "Bearer"},
                          {"refresh_token", created.oauth->refresh_token},
                          {"expires_in", created.oauth->expires_in}};
  }
  AddIgnoredWarnings(f, body);
  return body;
}

StatusOr<json> VerifyAccount(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kWriteScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(auto email, f.String("email_address"));
  if (!email || Trim(*email).empty()) {
    return InvalidArgument("This value should not be blank", "email_address");
  }
  if (!IsValidEmail(ToLower(Trim(*email)))) {
    return InvalidArgument("Invalid email address", "email_address");
  }
  auto found = ctx.accounts.FindByEmail(*email);
  if (!found.ok()) {
    if (found.status().code() != Code::kNotFound) return found.status();
    return json::object();  // Dropbox Sign answers 200 {} for an unknown email
  }
  return json{{"account", {{"email_address", found->email}}}};
}

}  // namespace

void RegisterAccountRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, "GET", "/v3/account",
              [&ctx](http::Request& r) { return RespondText(GetAccount(ctx, r)); });
  auto update = [&ctx](http::Request& r) { return Respond(UpdateAccount(ctx, r)); };
  AddApiRoute(router, "PUT", "/v3/account", update);
  AddApiRoute(router, "POST", "/v3/account", update);  // the legacy v3 docs used POST
  AddApiRoute(router, "POST", "/v3/account/verify",
              [&ctx](http::Request& r) { return Respond(VerifyAccount(ctx, r)); });
  AddApiRoute(router, "POST", "/v3/account/create",
              [&ctx](http::Request& r) { return Respond(CreateAccount(ctx, r)); });
}

}  // namespace countersign::api
