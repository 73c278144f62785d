// RequestFields: the parameters of an API request, whichever encoding the client used —
// a JSON body, application/x-www-form-urlencoded, or multipart/form-data where structured
// fields are JSON text (how the official SDKs send files) — including the legacy bracket
// notation (`signers[0][name]=…`, `domains[]=…`) that curl users send. Typed accessors
// coerce the wire forms (booleans true/false/True/False/1/0, integers as text) and return
// kInvalidArgument with the parameter path on a wrong type. Keys that no accessor read are
// reported by IgnoredKeys() for `parameter_ignored` warnings. Not thread-safe (per request).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "http/multipart.h"

namespace countersign::api {

class RequestFields {
 public:
  // Parses the body of `request` by its Content-Type. An empty body (with any content type,
  // including application/json) gives no fields. kInvalidArgument for malformed bodies or
  // unsupported content types. `request` must outlive the result (file parts borrow it).
  static StatusOr<RequestFields> FromBody(const http::Request& request);
  // The parameters of a JSON object kept from an earlier request (a draft's body): read as a
  // JSON body with those parameters would be. No file parts.
  static RequestFields FromJson(nlohmann::json object);

  // Every parameter (JSON and form values; file parts excluded), as the accessors see them.
  const nlohmann::json& Json() const { return root_; }

  bool Has(const std::string& key) const;
  StatusOr<std::optional<std::string>> String(const std::string& key);
  StatusOr<std::optional<bool>> Bool(const std::string& key);
  StatusOr<std::optional<int64_t>> Int(const std::string& key);
  // A JSON array of strings, JSON text of one, bracket notation, or a single plain string.
  StatusOr<std::optional<std::vector<std::string>>> StringArray(const std::string& key);
  // A JSON object, or JSON text of one.
  StatusOr<std::optional<nlohmann::json>> Object(const std::string& key);
  // The raw value of `key` (marks it read), or nullptr.
  const nlohmann::json* Raw(const std::string& key) { return Find(key); }

  // Marks `key` as understood without reading it (e.g. a file part that is accepted).
  void Accept(const std::string& key) { read_.insert(key); }

  // File parts (multipart parts with a filename), in order of appearance.
  const std::vector<http::FormPart>& files() const { return files_; }
  // Top-level keys present in the request that no accessor asked for, sorted.
  std::vector<std::string> IgnoredKeys() const;

 private:
  static Status Insert(nlohmann::json& root, const std::string& name, std::string value);
  const nlohmann::json* Find(const std::string& key);

  nlohmann::json root_ = nlohmann::json::object();
  std::vector<http::FormPart> files_;
  std::set<std::string> read_;
};

// Parses JSON text from a client, refusing more than 32 nested arrays and objects (deep nesting
// would exhaust the stack of the recursive code that later walks the value). Discarded
// (is_discarded) on any error.
nlohmann::json ParseClientJson(std::string_view text);

// Typed coercions shared with nested objects (e.g. `oauth.scopes`). `path` names the value
// in errors.
StatusOr<std::string> AsString(const nlohmann::json& v, const std::string& path);
StatusOr<bool> AsBool(const nlohmann::json& v, const std::string& path);
StatusOr<std::vector<std::string>> AsStringArray(const nlohmann::json& v, const std::string& path);
// An array of objects: a JSON array, JSON text of one, or bracket notation ({"0": {...}}).
StatusOr<std::vector<nlohmann::json>> AsObjectArray(const nlohmann::json& v,
                                                    const std::string& path);
// Items of an array given in any of the accepted forms: a JSON array, or an object whose
// keys are indices ("0", "1", ... from bracket notation), in numeric order.
StatusOr<nlohmann::json> AsArray(const nlohmann::json& v, const std::string& path);

}  // namespace countersign::api
