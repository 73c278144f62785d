// /v3/api_app… (CONTRACT.md §5).
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "api/api_routes.h"
#include "api/fields.h"
#include "api/rate_limits.h"
#include "api/respond.h"
#include "http/status_mapping.h"
#include "wire/render.h"

namespace countersign::api {

using nlohmann::json;

namespace {

// One of white_labeling_options (openapi SubWhiteLabelingOptions): legal_version is terms1 or
// terms2, every other option a colour "#RRGGBB".
Status CheckWhiteLabelingOption(const std::string& key, const json& value) {
  static const std::set<std::string> kColours = {"header_background_color",
                                                 "link_color",
                                                 "page_background_color",
                                                 "primary_button_color",
                                                 "primary_button_color_hover",
                                                 "primary_button_text_color",
                                                 "primary_button_text_color_hover",
                                                 "secondary_button_color",
                                                 "secondary_button_color_hover",
                                                 "secondary_button_text_color",
                                                 "secondary_button_text_color_hover",
                                                 "text_color1",
                                                 "text_color2"};
  const std::string path = "white_labeling_options[" + key + "]";
  if (!value.is_string())
    return InvalidArgument("white_labeling_options values must be strings", path);
  const std::string& text = value.get_ref<const std::string&>();
  if (key == "legal_version") {
    if (text == "terms1" || text == "terms2") return Status::Ok();
    return InvalidArgument("legal_version must be terms1 or terms2", path);
  }
  if (kColours.count(key) == 0) return InvalidArgument("Unknown white labeling option", path);
  const bool colour =
      text.size() == 7 && text[0] == '#' && std::all_of(text.begin() + 1, text.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
      });
  if (!colour) return InvalidArgument("Colours are written #RRGGBB", path);
  return Status::Ok();
}

const std::vector<std::string> kScopes = {"api_app_access"};

// Reads the create/update fields. On update every field is optional.
StatusOr<AppFields> ReadAppFields(RequestFields& f) {
  AppFields out;
  CS_ASSIGN_OR_RETURN(out.name, f.String("name"));
  CS_ASSIGN_OR_RETURN(out.domains, f.StringArray("domains"));
  CS_ASSIGN_OR_RETURN(out.callback_url, f.String("callback_url"));
  CS_ASSIGN_OR_RETURN(auto oauth, f.Object("oauth"));
  // Countersign extensions (docs/oauth-security.md): two booleans beside callback_url and
  // scopes, which may also be sent alone.
  std::pair<const char*, std::optional<bool>*> flags[] = {
      {"refresh_requires_client_credentials", &out.refresh_requires_client_credentials},
      {"require_pkce", &out.require_pkce}};
  for (auto& [key, target] : flags) {
    if (!oauth || !oauth->contains(key)) continue;
    CS_ASSIGN_OR_RETURN(*target, AsBool((*oauth)[key], std::string("oauth[") + key + "]"));
    oauth->erase(key);
  }
  if (oauth && !oauth->empty()) {
    OAuthSettings settings;
    if (oauth->contains("callback_url") && !(*oauth)["callback_url"].is_null()) {
      CS_ASSIGN_OR_RETURN(settings.callback_url,
                          AsString((*oauth)["callback_url"], "oauth[callback_url]"));
    }
    if (oauth->contains("scopes") && !(*oauth)["scopes"].is_null()) {
      CS_ASSIGN_OR_RETURN(settings.scopes, AsStringArray((*oauth)["scopes"], "oauth[scopes]"));
    }
    out.oauth = std::move(settings);
  }
  CS_ASSIGN_OR_RETURN(auto options, f.Object("options"));
  if (options && options->contains("can_insert_everywhere")) {
    CS_ASSIGN_OR_RETURN(out.can_insert_everywhere, AsBool((*options)["can_insert_everywhere"],
                                                          "options[can_insert_everywhere]"));
  }
  CS_ASSIGN_OR_RETURN(auto white, f.Object("white_labeling_options"));
  if (white) {
    bool reset = false;
    if (white->contains("reset_to_default")) {
      CS_ASSIGN_OR_RETURN(
          reset, AsBool((*white)["reset_to_default"], "white_labeling_options[reset_to_default]"));
      white->erase("reset_to_default");
    }
    for (auto& [key, value] : white->items()) {
      CS_RETURN_IF_ERROR(CheckWhiteLabelingOption(key, value));
    }
    out.white_labeling_json = reset || white->empty() ? std::string() : white->dump();
  }
  f.Accept("custom_logo_file");  // accepted; logos are not shown anywhere yet
  return out;
}

StatusOr<json> CreateApp(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(AppFields fields, ReadAppFields(f));
  CS_ASSIGN_OR_RETURN(NewApp created, ctx.apps.Create(p.account.id, fields));
  if (created.app.callback_url) {
    LogIfError(ctx.events.AppCallbackSaved(created.app.client_id, p.account.id), "callback_test");
  }
  json body{{"api_app", wire::RenderApiApp(created.app, p.account, created.client_secret)}};
  AddIgnoredWarnings(f, body);
  return body;
}

StatusOr<json> GetApp(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  auto app = ctx.apps.Get(std::string(req.PathParam("client_id")));
  if (!app.ok() && app.status().code() != Code::kNotFound) return app.status();
  // Another owner's app is reported exactly like a missing one (its callback URLs and owner
  // are not the caller's to see).
  if (!app.ok() || app->owner_account_id != p.account.id) {
    return NotFound("No API app with this client_id belongs to your account.");
  }
  return json{{"api_app", wire::RenderApiApp(*app, p.account, "")}};
}

StatusOr<json> ListApps(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  CS_ASSIGN_OR_RETURN(auto paging, PageParams(req));
  CS_ASSIGN_OR_RETURN(auto page, ctx.apps.List(p.account.id, paging.first, paging.second));
  json apps = json::array();
  for (const auto& app : page.apps) apps.push_back(wire::RenderApiApp(app, p.account, ""));
  return json{{"api_apps", apps},
              {"list_info", wire::RenderListInfo(paging.first, paging.second, page.total)}};
}

StatusOr<json> UpdateApp(ApiContext& ctx, const http::Request& req) {
  CS_ASSIGN_OR_RETURN(Principal p, ctx.auth.Authenticate(req, kScopes));
  CS_ASSIGN_OR_RETURN(RequestFields f, RequestFields::FromBody(req));
  CS_ASSIGN_OR_RETURN(AppFields fields, ReadAppFields(f));
  CS_ASSIGN_OR_RETURN(
      ApiApp app, ctx.apps.Update(p.account.id, std::string(req.PathParam("client_id")), fields));
  if (fields.callback_url && !fields.callback_url->empty()) {
    LogIfError(ctx.events.AppCallbackSaved(app.client_id, p.account.id), "callback_test");
  }
  json body{{"api_app", wire::RenderApiApp(app, p.account, "")}};
  AddIgnoredWarnings(f, body);
  return body;
}

http::Response DeleteApp(ApiContext& ctx, const http::Request& req) {
  auto p = ctx.auth.Authenticate(req, kScopes);
  if (!p.ok()) return http::ErrorResponse(p.status());
  Status st = ctx.apps.Delete(p->account.id, std::string(req.PathParam("client_id")));
  if (!st.ok()) return http::ErrorResponse(st);
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

void RegisterApiAppRoutes(http::Router& router, ApiContext& ctx) {
  AddApiRoute(router, "POST", "/v3/api_app",
              [&ctx](http::Request& r) { return Respond(CreateApp(ctx, r), 201); });
  AddApiRoute(router, "GET", "/v3/api_app/list",
              [&ctx](http::Request& r) { return Respond(ListApps(ctx, r)); });
  AddApiRoute(router, "GET", "/v3/api_app/{client_id}",
              [&ctx](http::Request& r) { return Respond(GetApp(ctx, r)); });
  auto update = [&ctx](http::Request& r) { return Respond(UpdateApp(ctx, r)); };
  AddApiRoute(router, "PUT", "/v3/api_app/{client_id}", update);
  AddApiRoute(router, "POST", "/v3/api_app/{client_id}", update);  // legacy clients: POST
  AddApiRoute(router, "DELETE", "/v3/api_app/{client_id}",
              [&ctx](http::Request& r) { return DeleteApp(ctx, r); });
}

}  // namespace countersign::api
