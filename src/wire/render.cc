#include "wire/render.h"

#include "core/json_dump.h"
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

std::string AccountJson(const Account& a) {
  // Written as text, keys in the order DumpJson writes them (sorted), because this object is
  // the whole of the hottest read (GET /v3/account). A self-hosted server has no plans: quotas
  // are null (unlimited) and the account counts as paid; everything after `locale` is the same
  // for every account.
  static constexpr std::string_view kConstantTail =
      ",\"quotas\":{\"api_signature_requests_left\":null,\"documents_left\":null,"
      "\"num_fax_pages_left\":null,\"sms_verifications_left\":null,\"templates_left\":null,"
      "\"templates_total\":null},\"role_code\":null,\"settings\":{\"signer_access_codes\":false,"
      "\"sms_authentication\":false,\"sms_delivery\":false},\"team_id\":null,"
      "\"usage\":{\"fax_pages_sent\":0}}";
  std::string out;
  out.reserve(a.id.size() + a.email.size() + a.locale.size() +
              (a.callback_url ? a.callback_url->size() : 0) + kConstantTail.size() + 128);
  out.append("{\"account_id\":");
  AppendJsonString(a.id, out);
  out.append(",\"callback_url\":");
  if (a.callback_url) {
    AppendJsonString(*a.callback_url, out);
  } else {
    out.append("null");
  }
  out.append(",\"email_address\":");
  AppendJsonString(a.email, out);
  out.append(a.is_locked ? ",\"is_locked\":true" : ",\"is_locked\":false");
  out.append(",\"is_paid_hf\":false,\"is_paid_hs\":true,\"locale\":");
  AppendJsonString(a.locale, out);
  out.append(kConstantTail);
  return out;
}

json RenderAccount(const Account& a) { return json::parse(AccountJson(a)); }

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
