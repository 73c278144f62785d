#include "service/form_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "core/utc_time.h"

namespace countersign {
namespace {

using nlohmann::json;

const std::set<std::string>& KnownTypes() {
  static const std::set<std::string> kTypes = {
      "signature", "initials", "text",      "date_signed", "checkbox",
      "radio",     "dropdown", "hyperlink", "text-merge",  "checkbox-merge"};
  return kTypes;
}

const std::set<std::string>& ValidationTypes() {
  static const std::set<std::string> kTypes = {"numbers_only",
                                               "letters_only",
                                               "phone_number",
                                               "bank_routing_number",
                                               "bank_account_number",
                                               "email_address",
                                               "zip_code",
                                               "social_security_number",
                                               "employer_identification_number",
                                               "custom_regex"};
  return kTypes;
}

constexpr size_t kMaxRegexLength = 500;
// Points a field may stick out of its page: rounding in the sender's own coordinates.
constexpr double kTolerance = 0.5;

std::string PathOf(int index, const char* key = nullptr) {
  std::string path = "form_fields_per_document[" + std::to_string(index) + "]";
  if (key != nullptr) path.append(".").append(key);
  return path;
}

// A number given as a JSON number or as numeric text.
std::optional<double> NumberOf(const json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  double out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out)) {
    return std::nullopt;
  }
  return out;
}

// Reads the fields of one array entry; `at` is its index.
class FieldReader {
 public:
  FieldReader(const json& object, int at) : object_(object), at_(at) {}

  const json* Find(const char* key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  StatusOr<double> Number(const char* key, bool required) const {
    const json* value = Find(key);
    if (value == nullptr) {
      if (required) return InvalidArgument(std::string(key) + " is required", PathOf(at_, key));
      return 0.0;
    }
    std::optional<double> number = NumberOf(*value);
    if (!number) return InvalidArgument(std::string(key) + " must be a number", PathOf(at_, key));
    return *number;
  }

  StatusOr<int> Integer(const char* key, bool required) const {
    CS_ASSIGN_OR_RETURN(double number, Number(key, required));
    if (number != std::floor(number) || std::fabs(number) > 1e6) {
      return InvalidArgument(std::string(key) + " must be an integer", PathOf(at_, key));
    }
    return static_cast<int>(number);
  }

  StatusOr<std::string> Text(const char* key, bool required) const {
    const json* value = Find(key);
    if (value == nullptr) {
      if (required) return InvalidArgument(std::string(key) + " is required", PathOf(at_, key));
      return std::string();
    }
    if (value->is_string()) return value->get<std::string>();
    if (value->is_number_integer()) return std::to_string(value->get<int64_t>());
    return InvalidArgument(std::string(key) + " must be a string", PathOf(at_, key));
  }

  StatusOr<bool> Bool(const char* key, bool required) const {
    const json* value = Find(key);
    if (value == nullptr) {
      if (required) return InvalidArgument(std::string(key) + " is required", PathOf(at_, key));
      return false;
    }
    if (value->is_boolean()) return value->get<bool>();
    if (value->is_number_integer() && (*value == 0 || *value == 1)) return *value == 1;
    if (value->is_string()) {
      const std::string& s = value->get_ref<const std::string&>();
      if (s == "true" || s == "1") return true;
      if (s == "false" || s == "0") return false;
    }
    return InvalidArgument(std::string(key) + " must be true or false", PathOf(at_, key));
  }

 private:
  const json& object_;
  int at_;
};

StatusOr<FormField> ParseOne(const json& object, int at) {
  if (!object.is_object()) return InvalidArgument("Each form field must be an object", PathOf(at));
  FieldReader r(object, at);
  FormField f;
  f.index = at;
  CS_ASSIGN_OR_RETURN(f.type, r.Text("type", true));
  if (KnownTypes().count(f.type) == 0) {
    return InvalidArgument("Unknown form field type \"" + f.type + "\"", PathOf(at, "type"));
  }
  CS_ASSIGN_OR_RETURN(f.document_index, r.Integer("document_index", true));
  CS_ASSIGN_OR_RETURN(f.api_id, r.Text("api_id", true));
  if (f.api_id.empty() || f.api_id.size() > 200) {
    return InvalidArgument("api_id must have 1 to 200 characters", PathOf(at, "api_id"));
  }
  CS_ASSIGN_OR_RETURN(f.name, r.Text("name", false));
  CS_ASSIGN_OR_RETURN(f.required, r.Bool("required", true));
  CS_ASSIGN_OR_RETURN(f.signer, r.Text("signer", true));
  if (r.Find("page") != nullptr) {
    CS_ASSIGN_OR_RETURN(int page, r.Integer("page", false));
    if (page < 1) return InvalidArgument("page must be 1 or more", PathOf(at, "page"));
    f.page = page;
  }
  CS_ASSIGN_OR_RETURN(f.x, r.Number("x", true));
  CS_ASSIGN_OR_RETURN(f.y, r.Number("y", true));
  CS_ASSIGN_OR_RETURN(f.width, r.Number("width", true));
  CS_ASSIGN_OR_RETURN(f.height, r.Number("height", true));
  if (f.x < 0) return InvalidArgument("x must not be negative", PathOf(at, "x"));
  if (f.y < 0) return InvalidArgument("y must not be negative", PathOf(at, "y"));
  if (f.width <= 0) return InvalidArgument("width must be positive", PathOf(at, "width"));
  if (f.height <= 0) return InvalidArgument("height must be positive", PathOf(at, "height"));
  CS_ASSIGN_OR_RETURN(f.validation_type, r.Text("validation_type", false));
  if (!f.validation_type.empty() && ValidationTypes().count(f.validation_type) == 0) {
    return InvalidArgument("Unknown validation_type \"" + f.validation_type + "\"",
                           PathOf(at, "validation_type"));
  }
  CS_ASSIGN_OR_RETURN(f.validation_custom_regex, r.Text("validation_custom_regex", false));
  CS_ASSIGN_OR_RETURN(f.group, r.Text("group", false));
  CS_ASSIGN_OR_RETURN(f.content, r.Text("content", false));
  if (const json* options = r.Find("options")) {
    if (!options->is_array()) {
      return InvalidArgument("options must be an array of strings", PathOf(at, "options"));
    }
    for (const json& option : *options) {
      if (!option.is_string()) {
        return InvalidArgument("options must be an array of strings", PathOf(at, "options"));
      }
      f.options.push_back(option.get<std::string>());
    }
  }
  CS_ASSIGN_OR_RETURN(f.content_url, r.Text("content_url", false));
  CS_ASSIGN_OR_RETURN(f.placeholder, r.Text("placeholder", false));
  CS_ASSIGN_OR_RETURN(f.is_checked, r.Bool("is_checked", false));
  CS_ASSIGN_OR_RETURN(f.masked, r.Bool("masked", false));
  CS_ASSIGN_OR_RETURN(f.auto_fill_type, r.Text("auto_fill_type", false));
  CS_ASSIGN_OR_RETURN(f.font_family, r.Text("font_family", false));
  if (r.Find("font_size") != nullptr) {
    CS_ASSIGN_OR_RETURN(f.font_size, r.Integer("font_size", false));
    if (f.font_size < 7 || f.font_size > 49) {
      return InvalidArgument("font_size must be between 7 and 49", PathOf(at, "font_size"));
    }
  }
  if (f.placeholder.size() > 200) {
    return InvalidArgument("placeholder is longer than 200 characters", PathOf(at, "placeholder"));
  }
  if (f.type == "hyperlink") {
    if (f.content.empty()) {
      return InvalidArgument("A hyperlink needs content", PathOf(at, "content"));
    }
    const bool plain = f.content_url.size() <= 2000 &&
                       std::all_of(f.content_url.begin(), f.content_url.end(), [](char c) {
                         return static_cast<unsigned char>(c) > 0x20 && c != 0x7f;
                       });
    if (!plain ||
        (f.content_url.rfind("https://", 0) != 0 && f.content_url.rfind("http://", 0) != 0)) {
      return InvalidArgument("A hyperlink needs an http or https content_url",
                             PathOf(at, "content_url"));
    }
  }
  if (f.type == "dropdown" && f.options.empty()) {
    return InvalidArgument("A dropdown needs options", PathOf(at, "options"));
  }
  if (f.type == "dropdown" && !f.content.empty() &&
      std::find(f.options.begin(), f.options.end(), f.content) == f.options.end()) {
    return InvalidArgument("A dropdown's content must be one of its options",
                           PathOf(at, "content"));
  }
  if (f.type == "radio" && f.group.empty()) {
    return InvalidArgument("A radio button needs a group", PathOf(at, "group"));
  }
  return f;
}

// The signer index `text` names, or -1.
int SignerIndex(const std::string& text) {
  int index = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (ec != std::errc() || end != text.data() + text.size() || index < 0) return -1;
  return index;
}

bool Overlap(const FormField& a, const FormField& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

}  // namespace

StatusOr<std::vector<FormField>> ParseFormFields(const json& fields) {
  if (!fields.is_array()) {
    return InvalidArgument("form_fields_per_document must be an array", "form_fields_per_document");
  }
  std::vector<FormField> out;
  for (size_t i = 0; i < fields.size(); ++i) {
    CS_ASSIGN_OR_RETURN(FormField f, ParseOne(fields[i], static_cast<int>(i)));
    out.push_back(std::move(f));
  }
  return out;
}

Status CheckFieldTargets(const std::vector<FormField>& fields, size_t signer_count,
                         size_t document_count) {
  std::map<std::string, int> api_ids;
  for (const FormField& f : fields) {
    const int signer = SignerIndex(f.signer);
    // "sender" fills merge fields, "me_now" is the preparer (any type).
    const bool by_sender = (f.signer == "sender" && IsMergeField(f)) || f.signer == "me_now";
    if (!by_sender && (signer < 0 || static_cast<size_t>(signer) >= signer_count)) {
      return InvalidArgument("signer must be the index of one of the " +
                                 std::to_string(signer_count) + " signers" +
                                 (IsMergeField(f) ? " or \"sender\"" : ""),
                             PathOf(f.index, "signer"));
    }
    if (f.document_index < 0 || static_cast<size_t>(f.document_index) >= document_count) {
      return InvalidArgument(
          "document_index must name one of the " + std::to_string(document_count) + " documents",
          PathOf(f.index, "document_index"));
    }
    auto [it, inserted] = api_ids.emplace(f.api_id, f.index);
    if (!inserted) {
      return InvalidArgument("api_id \"" + f.api_id + "\" is already used by " + PathOf(it->second),
                             PathOf(f.index, "api_id"));
    }
    if (f.validation_type == "custom_regex") {
      const std::string& pattern = f.validation_custom_regex;
      const std::string path = PathOf(f.index, "validation_custom_regex");
      if (pattern.empty())
        return InvalidArgument("custom_regex needs validation_custom_regex", path);
      if (pattern.size() > kMaxRegexLength) {
        return InvalidArgument("validation_custom_regex is longer than " +
                                   std::to_string(kMaxRegexLength) + " characters",
                               path);
      }
      try {
        std::regex compiled(pattern, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return InvalidArgument("validation_custom_regex is not a valid regular expression", path);
      }
    }
  }
  return Status::Ok();
}

Status CheckFieldPlacement(const std::vector<FormField>& fields,
                           const std::vector<std::vector<PageBox>>& pages) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const FormField& f = fields[i];
    const std::vector<PageBox>& document = pages.at(f.document_index);
    const int page = f.page.value_or(1);
    if (static_cast<size_t>(page) > document.size()) {
      return InvalidArgument("page " + std::to_string(page) + " is not in document " +
                                 std::to_string(f.document_index) + ", which has " +
                                 std::to_string(document.size()) + " pages",
                             PathOf(f.index, "page"));
    }
    const PageBox& box = document[page - 1];
    if (f.x + f.width > box.width + kTolerance || f.y + f.height > box.height + kTolerance) {
      char size[64];
      std::snprintf(size, sizeof size, "%.0f x %.0f", box.width, box.height);
      return InvalidArgument(
          "The field lies off its page (page " + std::to_string(page) + " is " + size + " points)",
          PathOf(f.index));
    }
    for (size_t j = 0; j < i; ++j) {
      const FormField& other = fields[j];
      if (other.document_index == f.document_index && other.page.value_or(1) == page &&
          Overlap(f, other)) {
        return InvalidArgument(
            "The field overlaps " + PathOf(other.index) + " (api_id \"" + other.api_id + "\")",
            PathOf(f.index));
      }
    }
  }
  return Status::Ok();
}

bool IsFilledAtCompletion(const FormField& field) {
  return SignerIndex(field.signer) >= 0 &&
         (field.type == "signature" || field.type == "initials" || field.type == "date_signed");
}

std::vector<std::string> FormFieldWarnings(const std::vector<FormField>& fields) {
  std::vector<std::string> out;
  for (const FormField& f : fields) {
    if (f.signer == "me_now") {
      out.push_back(PathOf(f.index) +
                    ": fields filled by the preparer (me_now) are not supported yet; this one "
                    "was ignored.");
    }
  }
  return out;
}

int SignerIndexOf(const FormField& field) { return SignerIndex(field.signer); }

bool IsMergeField(const FormField& field) {
  return field.type == "text-merge" || field.type == "checkbox-merge";
}

bool IsDateFormat(const std::string& format) {
  static const std::set<std::string> kFormats = {"MM / DD / YYYY", "MM - DD - YYYY",
                                                 "DD / MM / YYYY", "DD - MM - YYYY",
                                                 "YYYY / MM / DD", "YYYY - MM - DD"};
  return kFormats.count(format) != 0;
}

std::string DateSignedText(int64_t signed_at, const std::string& field_options_json) {
  std::string format = "MM / DD / YYYY";
  json options = json::parse(field_options_json, nullptr, false);
  if (options.is_object() && options.contains("date_format") &&
      options["date_format"].is_string() &&
      IsDateFormat(options["date_format"].get<std::string>())) {
    format = options["date_format"].get<std::string>();
  }
  // The chosen format is an IsDateFormat: each token once, nothing strftime would read.
  for (auto [token, conversion] :
       {std::pair<std::string_view, const char*>{"YYYY", "%Y"}, {"MM", "%m"}, {"DD", "%d"}}) {
    format.replace(format.find(token), token.size(), conversion);
  }
  return FormatUtc(signed_at, format.c_str(), "");
}

}  // namespace countersign
