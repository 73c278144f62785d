#include "service/app_service.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/ids.h"
#include "model/scopes.h"
#include "service/paging.h"
#include "service/text_validation.h"
#include "service/validation.h"

namespace countersign {

namespace {

constexpr size_t kMaxDomains = 10;
constexpr size_t kMaxNameLength = 255;

Status ValidateScopes(const std::vector<std::string>& scopes) {
  if (scopes.empty()) {
    return InvalidArgument("oauth[scopes] is required when oauth[callback_url] is given",
                           "oauth[scopes]");
  }
  bool app_billed = false;
  bool user_billed = false;
  for (size_t i = 0; i < scopes.size(); ++i) {
    const std::string path = "oauth[scopes][" + std::to_string(i) + "]";
    if (!IsKnownScope(scopes[i])) return InvalidArgument("Unknown scope: " + scopes[i], path);
    (IsAppBilledScope(scopes[i]) ? app_billed : user_billed) = true;
    if (app_billed && user_billed) {
      return InvalidArgument(
          "Scopes billed to the app (basic_account_info, request_signature) cannot be combined "
          "with scopes billed to the user",
          path);
    }
  }
  return Status::Ok();
}

}  // namespace

AppService::AppService(AppStore& store, const Clock& clock) : store_(store), clock_(clock) {}

Status AppService::Apply(const AppFields& f, ApiApp& app, bool creating) {
  if (f.name) {
    std::string name = Trim(*f.name);
    if (name.empty()) return InvalidArgument("This value should not be blank", "name");
    if (CharacterCount(name) > kMaxNameLength) return InvalidArgument("Name is too long", "name");
    CS_RETURN_IF_ERROR(CheckPlainText(name, "name"));
    app.name = name;
  } else if (creating) {
    return InvalidArgument("This value should not be blank", "name");
  }
  if (f.domains) {
    if (creating && f.domains->empty()) {
      return InvalidArgument("At least one domain is required", "domains");
    }
    if (f.domains->size() > kMaxDomains) {
      return InvalidArgument("At most 10 domains are allowed", "domains");
    }
    std::vector<std::string> domains;
    for (size_t i = 0; i < f.domains->size(); ++i) {
      std::string d = ToLower(Trim((*f.domains)[i]));
      if (!IsValidDomain(d)) {
        // Not echoed: the value may be any bytes.
        return InvalidArgument("Invalid domain", "domains[" + std::to_string(i) + "]");
      }
      if (std::find(domains.begin(), domains.end(), d) == domains.end()) domains.push_back(d);
    }
    app.domains = std::move(domains);
  } else if (creating) {
    return InvalidArgument("At least one domain is required", "domains");
  }
  if (f.callback_url) {
    if (f.callback_url->empty()) {
      app.callback_url.reset();
    } else if (!IsValidHttpUrl(*f.callback_url)) {
      return InvalidArgument("Invalid callback URL: use an absolute http or https URL",
                             "callback_url");
    } else {
      app.callback_url = *f.callback_url;
    }
  }
  if (f.oauth) {
    if (f.oauth->callback_url.empty()) {
      return InvalidArgument("oauth[callback_url] is required when oauth[scopes] is given",
                             "oauth[callback_url]");
    }
    if (!IsValidRedirectUri(f.oauth->callback_url)) {
      return InvalidArgument(
          "Invalid OAuth callback URL: use an absolute http or https URL without a fragment",
          "oauth[callback_url]");
    }
    std::vector<std::string> scopes;
    for (const auto& s : f.oauth->scopes) {
      if (!s.empty() && std::find(scopes.begin(), scopes.end(), s) == scopes.end()) {
        scopes.push_back(s);
      }
    }
    CS_RETURN_IF_ERROR(ValidateScopes(scopes));
    app.has_oauth = true;
    app.oauth_callback_url = f.oauth->callback_url;
    app.scopes = std::move(scopes);
  }
  if (f.can_insert_everywhere) app.can_insert_everywhere = *f.can_insert_everywhere;
  if (f.white_labeling_json) app.white_labeling_json = *f.white_labeling_json;
  if (f.refresh_requires_client_credentials) {
    app.refresh_requires_client_credentials = *f.refresh_requires_client_credentials;
  } else if (creating) {
    app.refresh_requires_client_credentials = true;  // as Dropbox Sign does for new apps
  }
  if (f.require_pkce) app.require_pkce = *f.require_pkce;
  return Status::Ok();
}

StatusOr<NewApp> AppService::Create(const std::string& owner_account_id, const AppFields& fields) {
  NewApp created;
  ApiApp& app = created.app;
  CS_RETURN_IF_ERROR(Apply(fields, app, /*creating=*/true));
  app.client_id = NewClientId();
  app.owner_account_id = owner_account_id;
  created.client_secret = NewSecret();
  app.secret_hash = Sha256Hex(created.client_secret);
  app.created_at = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(store_.Create(app));
  return created;
}

StatusOr<ApiApp> AppService::Get(const std::string& client_id) {
  return store_.FindByClientId(client_id);
}

StatusOr<AppService::Page> AppService::List(const std::string& owner_account_id, int page,
                                            int page_size) {
  if (page < 1) return InvalidArgument("page must be 1 or more", "page");
  if (page_size < 1 || page_size > 100) {
    return InvalidArgument("page_size must be between 1 and 100", "page_size");
  }
  Page out;
  CS_ASSIGN_OR_RETURN(out.total, store_.CountByOwner(owner_account_id));
  const int64_t offset = PageOffset(page, page_size);
  if (offset < out.total) {
    CS_ASSIGN_OR_RETURN(out.apps, store_.ListByOwner(owner_account_id, offset, page_size));
  }
  return out;
}

StatusOr<ApiApp> AppService::Update(const std::string& caller_account_id,
                                    const std::string& client_id, const AppFields& fields) {
  CS_ASSIGN_OR_RETURN(ApiApp app, store_.FindByClientId(client_id));
  if (app.owner_account_id != caller_account_id) {
    return PermissionDenied("Only the owner of this app can change it.");
  }
  CS_RETURN_IF_ERROR(Apply(fields, app, /*creating=*/false));
  CS_RETURN_IF_ERROR(store_.Update(app));
  return app;
}

Status AppService::Delete(const std::string& caller_account_id, const std::string& client_id) {
  CS_ASSIGN_OR_RETURN(ApiApp app, store_.FindByClientId(client_id));
  if (app.owner_account_id != caller_account_id) {
    return PermissionDenied("Only the owner of this app can delete it.");
  }
  return store_.Delete(client_id, clock_.NowSeconds());
}

StatusOr<std::string> AppService::RotateSecret(const std::string& caller_account_id,
                                               const std::string& client_id) {
  CS_ASSIGN_OR_RETURN(ApiApp app, store_.FindByClientId(client_id));
  if (app.owner_account_id != caller_account_id) {
    return PermissionDenied("Only the owner of this app can change its secret.");
  }
  std::string secret = NewSecret();
  app.secret_hash = Sha256Hex(secret);
  CS_RETURN_IF_ERROR(store_.Update(app));
  return secret;
}

Status AppService::Approve(const std::string& client_id, bool approved) {
  CS_ASSIGN_OR_RETURN(ApiApp app, store_.FindByClientId(client_id));
  app.is_approved = approved;
  return store_.Update(app);
}

bool AppService::SecretMatches(const ApiApp& app, const std::string& secret) {
  return !secret.empty() && ConstantTimeEquals(Sha256Hex(secret), app.secret_hash);
}

}  // namespace countersign
