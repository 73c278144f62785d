#include "api/fields.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

namespace countersign::api {

using nlohmann::json;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

StatusOr<json> ParseJsonText(const std::string& text, const std::string& path) {
  json parsed = ParseClientJson(text);
  if (parsed.is_discarded()) return InvalidArgument("Invalid JSON in " + path, path);
  return parsed;
}

// Splits "a[0][b]" into {"a", "0", "b"}; "a[]" into {"a", ""}. Returns false when malformed.
bool SplitBrackets(const std::string& name, std::vector<std::string>& out) {
  size_t open = name.find('[');
  out.push_back(name.substr(0, open));
  if (out.back().empty()) return false;
  while (open != std::string::npos) {
    size_t close = name.find(']', open);
    if (close == std::string::npos) return false;
    out.push_back(name.substr(open + 1, close - open - 1));
    open = close + 1;
    if (open == name.size()) break;
    if (name[open] != '[') return false;
  }
  return out.size() <= 8;
}

bool IsIndex(const std::string& s, size_t& index) {
  if (s.empty() || s.size() > 4) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), index);
  return ec == std::errc() && p == s.data() + s.size();
}

constexpr int kMaxJsonDepth = 32;

// The deepest nesting of arrays and objects in `text` (brackets inside strings not counted);
// a closing bracket with nothing open gives INT_MAX (the text is malformed anyway).
int NestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && --depth < 0) {
      return std::numeric_limits<int>::max();  // malformed: more closed than opened
    }
  }
  return deepest;
}

}  // namespace

json ParseClientJson(std::string_view text) {
  // The depth is checked by one scan before parsing rather than by a parse callback, which
  // nlohmann calls through std::function for every value (~3x the cost of the parse itself).
  if (NestingDepth(text) > kMaxJsonDepth) return json(json::value_t::discarded);
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

StatusOr<std::string> AsString(const json& v, const std::string& path) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return InvalidArgument(path + " must be a string", path);
}

StatusOr<bool> AsBool(const json& v, const std::string& path) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer() && (v == 0 || v == 1)) return v.get<int>() == 1;
  if (v.is_string()) {
    std::string s = Lower(v.get<std::string>());
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0" || s.empty()) return false;
  }
  return InvalidArgument(path + " must be a boolean", path);
}

StatusOr<json> AsArray(const json& v, const std::string& path) {
  if (v.is_array()) return v;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (!s.empty() && s.front() == '[') return ParseJsonText(s, path);
    return InvalidArgument(path + " must be an array", path);
  }
  if (v.is_object()) {  // bracket notation: {"0": ..., "1": ..., "10": ...}
    std::vector<std::pair<size_t, json>> items;
    for (auto& [k, item] : v.items()) {
      size_t index = 0;
      if (!IsIndex(k, index)) return InvalidArgument(path + " must be an array", path);
      items.emplace_back(index, item);
    }
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    json list = json::array();
    for (auto& [index, item] : items) list.push_back(std::move(item));
    return list;
  }
  return InvalidArgument(path + " must be an array", path);
}

StatusOr<std::vector<json>> AsObjectArray(const json& v, const std::string& path) {
  CS_ASSIGN_OR_RETURN(json arr, AsArray(v, path));
  std::vector<json> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_object()) {
      return InvalidArgument(path + " must be an array of objects",
                             path + "[" + std::to_string(i) + "]");
    }
    out.push_back(arr[i]);
  }
  return out;
}

StatusOr<std::vector<std::string>> AsStringArray(const json& v, const std::string& path) {
  if (v.is_string() &&
      (v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>().front() != '[')) {
    return std::vector<std::string>{v.get<std::string>()};
  }
  auto converted = AsArray(v, path);
  if (!converted.ok()) return InvalidArgument(path + " must be an array of strings", path);
  json arr = std::move(converted).value();
  std::vector<std::string> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      return InvalidArgument(path + " must be an array of strings",
                             path + "[" + std::to_string(i) + "]");
    }
    out.push_back(arr[i].get<std::string>());
  }
  return out;
}

Status RequestFields::Insert(json& root, const std::string& name, std::string value) {
  std::vector<std::string> keys;
  if (!SplitBrackets(name, keys)) {
    root[name] = std::move(value);  // not bracket notation after all: keep the raw name
    return Status::Ok();
  }
  json* node = &root;
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    json& child = (*node)[keys[i]];
    if (child.is_null()) child = json::object();
    // Only the parent of a final "[]" may be a list; a value or a list where a nested object
    // goes ("a=1&a[b]=2", "a[]=1&a[0][b]=2") is a conflict.
    const bool list_parent = i + 2 == keys.size() && keys.back().empty();
    if (!child.is_object() && !(list_parent && child.is_array())) {
      return InvalidArgument("Conflicting values for " + name, keys[0]);
    }
    node = &child;
  }
  const std::string& last = keys.back();
  if (last.empty()) {  // "a[]": append
    json& list = *node;
    if (list.is_object() && list.empty()) list = json::array();
    if (!list.is_array()) return InvalidArgument("Conflicting values for " + name, keys[0]);
    list.push_back(std::move(value));
  } else {
    if (!node->is_object()) return InvalidArgument("Conflicting values for " + name, keys[0]);
    (*node)[last] = std::move(value);
  }
  return Status::Ok();
}

StatusOr<RequestFields> RequestFields::FromBody(const http::Request& request) {
  RequestFields f;
  CS_ASSIGN_OR_RETURN(std::string_view body, request.Body());
  if (body.empty()) return f;
  std::string ct = Lower(request.Header("content-type").value_or(""));
  if (ct.empty() || ct.rfind("application/json", 0) == 0 || ct.find("+json") != std::string::npos) {
    json parsed = ParseClientJson(body);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return InvalidArgument("The request body is not a valid JSON object.");
    }
    f.root_ = std::move(parsed);
  } else if (ct.rfind("application/x-www-form-urlencoded", 0) == 0) {
    for (auto& [k, v] : http::ParseUrlEncoded(body)) {
      CS_RETURN_IF_ERROR(Insert(f.root_, k, std::move(v)));
    }
  } else if (ct.rfind("multipart/form-data", 0) == 0) {
    CS_ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(*request.Header("content-type"), body));
    // Parsing has read every page: 10 large uploads in progress need not keep 10 bodies resident.
    if (request.spilled_body) request.spilled_body->ReleaseResidentPages();
    for (auto& part : parts) {
      if (part.filename) {
        f.files_.push_back(part);
      } else {
        CS_RETURN_IF_ERROR(Insert(f.root_, part.name, std::string(part.data)));
      }
    }
  } else {
    return InvalidArgument(
        "Unsupported Content-Type: use application/json, "
        "application/x-www-form-urlencoded or multipart/form-data.");
  }
  return f;
}

RequestFields RequestFields::FromJson(json object) {
  RequestFields f;
  if (object.is_object()) f.root_ = std::move(object);
  return f;
}

bool RequestFields::Has(const std::string& key) const { return root_.contains(key); }

const json* RequestFields::Find(const std::string& key) {
  read_.insert(key);
  auto it = root_.find(key);
  if (it == root_.end() || it->is_null()) return nullptr;
  return &*it;
}

StatusOr<std::optional<std::string>> RequestFields::String(const std::string& key) {
  const json* v = Find(key);
  if (!v) return std::optional<std::string>();
  CS_ASSIGN_OR_RETURN(std::string s, AsString(*v, key));
  return std::optional<std::string>(std::move(s));
}

StatusOr<std::optional<bool>> RequestFields::Bool(const std::string& key) {
  const json* v = Find(key);
  if (!v) return std::optional<bool>();
  CS_ASSIGN_OR_RETURN(bool b, AsBool(*v, key));
  return std::optional<bool>(b);
}

StatusOr<std::optional<int64_t>> RequestFields::Int(const std::string& key) {
  const json* v = Find(key);
  if (!v) return std::optional<int64_t>();
  if (v->is_number_integer()) return std::optional<int64_t>(v->get<int64_t>());
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    int64_t out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) {
      return std::optional<int64_t>(out);
    }
  }
  return InvalidArgument(key + " must be an integer", key);
}

StatusOr<std::optional<std::vector<std::string>>> RequestFields::StringArray(
    const std::string& key) {
  const json* v = Find(key);
  if (!v) return std::optional<std::vector<std::string>>();
  CS_ASSIGN_OR_RETURN(auto list, AsStringArray(*v, key));
  return std::optional<std::vector<std::string>>(std::move(list));
}

StatusOr<std::optional<json>> RequestFields::Object(const std::string& key) {
  const json* v = Find(key);
  if (!v) return std::optional<json>();
  if (v->is_object()) return std::optional<json>(*v);
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    if (s.empty()) return std::optional<json>();
    CS_ASSIGN_OR_RETURN(json parsed, ParseJsonText(s, key));
    if (parsed.is_object()) return std::optional<json>(std::move(parsed));
  }
  return InvalidArgument(key + " must be an object", key);
}

std::vector<std::string> RequestFields::IgnoredKeys() const {
  std::vector<std::string> out;
  for (auto& [k, v] : root_.items()) {
    if (!read_.count(k)) out.push_back(k);
  }
  for (const auto& part : files_) {
    std::string base = part.name.substr(0, part.name.find('['));
    if (!read_.count(base)) out.push_back(base);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace countersign::api
