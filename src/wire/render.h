// Renders domain records as Dropbox Sign API v3 JSON objects (CONTRACT.md §4, §5).
// Thread-safe (pure).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/records.h"

namespace countersign::wire {

// The `account` object (AccountResponse).
nlohmann::json RenderAccount(const Account& account);
// The same object as compact JSON text, exactly as DumpJson(RenderAccount(account)) writes it
// (RenderAccount is parsed from it): for responses that are written as text.
std::string AccountJson(const Account& account);

// The `api_app` object. `owner` is the app's owner. `secret` is the plaintext client secret to
// show (only right after it was created, and only to the owner); otherwise `oauth.secret` is
// null, because only the secret's hash is stored.
nlohmann::json RenderApiApp(const ApiApp& app, const Account& owner, const std::string& secret);

// `list_info` for a page of a list.
nlohmann::json RenderListInfo(int page, int page_size, int64_t total);

// `{"warning_msg": ..., "warning_name": "parameter_ignored"}` items, or an empty array.
nlohmann::json IgnoredParameterWarnings(const std::vector<std::string>& keys);
// One `{"warning_msg": message, "warning_name": name}` item.
nlohmann::json Warning(const std::string& message, const std::string& name);

}  // namespace countersign::wire
