// AppService: the rules for API apps — validation of names, domains, callback URLs and scopes,
// ownership, secrets and production approval. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/app_store.h"

namespace countersign {

struct OAuthSettings {
  std::string callback_url;
  std::vector<std::string> scopes;
};

// Fields of a create or update request. Unset optionals are left unchanged on update; an
// empty string clears an optional text field.
struct AppFields {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> domains;
  std::optional<std::string> callback_url;
  std::optional<OAuthSettings> oauth;
  std::optional<bool> can_insert_everywhere;
  std::optional<std::string> white_labeling_json;  // JSON object text
  // docs/oauth-security.md. On create, unset means on / off respectively.
  std::optional<bool> refresh_requires_client_credentials;
  std::optional<bool> require_pkce;
};

struct NewApp {
  ApiApp app;
  std::string client_secret;  // plaintext, shown once
};

class AppService {
 public:
  AppService(AppStore& store, const Clock& clock);

  // Creates an app owned by `owner_account_id`. `name` and `domains` (1-10) are required;
  // OAuth callback URL and scopes are given together. Errors: kInvalidArgument with the
  // parameter path ("name", "domains[0]", "oauth[callback_url]", "oauth[scopes][2]", ...).
  StatusOr<NewApp> Create(const std::string& owner_account_id, const AppFields& fields);

  // Any app by client id. kNotFound when absent.
  StatusOr<ApiApp> Get(const std::string& client_id);

  struct Page {
    std::vector<ApiApp> apps;
    int64_t total = 0;
  };
  // The owner's apps; page >= 1, 1 <= page_size <= 100 (kInvalidArgument otherwise).
  StatusOr<Page> List(const std::string& owner_account_id, int page, int page_size);

  // Owner only (kPermissionDenied otherwise; kNotFound when absent).
  StatusOr<ApiApp> Update(const std::string& caller_account_id, const std::string& client_id,
                          const AppFields& fields);
  // Owner only; revokes every grant of the app.
  Status Delete(const std::string& caller_account_id, const std::string& client_id);
  // Owner only; returns the new plaintext secret.
  StatusOr<std::string> RotateSecret(const std::string& caller_account_id,
                                     const std::string& client_id);
  // Operator action: approve the app for production.
  Status Approve(const std::string& client_id, bool approved = true);

  // True when the client secret matches (constant time).
  static bool SecretMatches(const ApiApp& app, const std::string& secret);

 private:
  Status Apply(const AppFields& fields, ApiApp& app, bool creating);

  AppStore& store_;
  const Clock& clock_;
};

}  // namespace countersign
