#include "wire/render.h"

#include "model/scopes.h"

namespace countersign::wire {

using nlohmann::json;

namespace {

json NullableString(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// Apps whose scopes are billed to the user (account_access, signature_request_access, ...).
bool ChargesUsers(const std::vector<std::string>& scopes) {
  for (const auto& s : scopes) {
    if (!IsAppBilledScope(s)) return true;
  }
  return false;
}

}  // namespace

json RenderAccount(const Account& a) {
  // Built member by member: initializer lists copy every value, and this object is on the
  // hottest path (GET /v3/account). A self-hosted server has no plans: quotas are null
  // (unlimited) and the account counts as paid.
  json quotas = json::object();
  for (const char* key : {"api_signature_requests_left", "documents_left", "templates_total",
                          "templates_left", "sms_verifications_left", "num_fax_pages_left"}) {
    quotas[key] = nullptr;
  }
  json settings = json::object();
  settings["signer_access_codes"] = false;
  settings["sms_delivery"] = false;
  settings["sms_authentication"] = false;
  json usage = json::object();
  usage["fax_pages_sent"] = 0;

  json out = json::object();
  out["account_id"] = a.id;
  out["email_address"] = a.email;
  out["is_locked"] = a.is_locked;
  out["is_paid_hs"] = true;
  out["is_paid_hf"] = false;
  out["quotas"] = std::move(quotas);
  out["callback_url"] = NullableString(a.callback_url);
  out["role_code"] = nullptr;
  out["team_id"] = nullptr;
  out["locale"] = a.locale;
  out["usage"] = std::move(usage);
  out["settings"] = std::move(settings);
  return out;
}

json RenderApiApp(const ApiApp& app, const Account& owner, const std::string& secret) {
  json oauth = nullptr;
  if (app.has_oauth) {
    oauth = json{{"callback_url", app.oauth_callback_url},
                 {"scopes", app.scopes},
                 {"secret", secret.empty() ? json(nullptr) : json(secret)},
                 {"charges_users", ChargesUsers(app.scopes)},
                 // Countersign extensions (docs/oauth-security.md).
                 {"refresh_requires_client_credentials", app.refresh_requires_client_credentials},
                 {"require_pkce", app.require_pkce}};
  }
  json white_labeling = nullptr;
  if (!app.white_labeling_json.empty()) {
    white_labeling = json::parse(app.white_labeling_json, nullptr, false);
    if (white_labeling.is_discarded()) white_labeling = nullptr;
  }
  return json{
      {"client_id", app.client_id},
      {"name", app.name},
      {"domains", app.domains},
      {"callback_url", NullableString(app.callback_url)},
      {"created_at", app.created_at},
      {"is_approved", app.is_approved},
      {"oauth", oauth},
      {"options", {{"can_insert_everywhere", app.can_insert_everywhere}}},
      {"owner_account", {{"account_id", owner.id}, {"email_address", owner.email}}},
      {"white_labeling_options", white_labeling},
  };
}

json RenderListInfo(int page, int page_size, int64_t total) {
  int64_t pages = (total + page_size - 1) / page_size;
  return json{
      {"page", page}, {"num_pages", pages}, {"num_results", total}, {"page_size", page_size}};
}

json IgnoredParameterWarnings(const std::vector<std::string>& keys) {
  json out = json::array();
  for (const auto& k : keys) {
    out.push_back(
        Warning("Parameter " + k + " is not supported and was ignored.", "parameter_ignored"));
  }
  return out;
}

json Warning(const std::string& message, const std::string& name) {
  return {{"warning_msg", message}, {"warning_name", name}};
}

}  // namespace countersign::wire
