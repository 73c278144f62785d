#include "api/send_request_parser.h"

#include <algorithm>
#include <charconv>

#include "core/json_dump.h"
#include "service/custom_fields.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"

namespace countersign::api {

using nlohmann::json;

namespace {

StatusOr<std::optional<int64_t>> IntMember(const json& obj, const char* key,
                                           const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number_integer()) return std::optional<int64_t>(it->get<int64_t>());
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    if (s.empty()) return std::optional<int64_t>();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return std::optional<int64_t>(v);
  }
  return InvalidArgument(path + " must be an integer", path);
}

StatusOr<std::string> StringMember(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  return AsString(*it, path);
}

// The position of a file part: files[3] -> 3; files[] / file -> appearance order.
size_t PartIndex(const std::string& name, size_t appearance) {
  size_t open = name.find('[');
  if (open == std::string::npos) return appearance;
  size_t close = name.find(']', open);
  if (close == std::string::npos) return appearance;  // "files[3" is not an index
  size_t index = 0;
  auto [p, ec] = std::from_chars(name.data() + open + 1, name.data() + close, index);
  if (ec != std::errc() || close == open + 1) return appearance;
  return index;
}

bool IsFilePart(const std::string& name) {
  std::string base = name.substr(0, name.find('['));
  return base == "files" || base == "file";
}

StatusOr<std::string> ObjectText(RequestFields& f, const char* key) {
  CS_ASSIGN_OR_RETURN(auto obj, f.Object(key));
  return obj ? DumpJson(*obj) : std::string();  // invalid UTF-8 replaced, never thrown
}

}  // namespace

StatusOr<SendInput> ParseSendRequest(RequestFields& f) {
  SendInput in;
  // Files: multipart parts in index order.
  std::vector<std::pair<size_t, const http::FormPart*>> parts;
  size_t appearance = 0;
  for (const auto& part : f.files()) {
    if (IsFilePart(part.name)) parts.emplace_back(PartIndex(part.name, appearance++), &part);
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [index, part] : parts) {
    in.files.push_back({part->filename.value_or(""), part->data});
  }
  f.Accept("files");
  f.Accept("file");

  CS_ASSIGN_OR_RETURN(auto urls, f.StringArray("file_urls"));
  if (urls) in.file_urls = *urls;

  if (const json* raw = f.Raw("signers")) {
    CS_ASSIGN_OR_RETURN(auto signers, AsObjectArray(*raw, "signers"));
    for (size_t i = 0; i < signers.size(); ++i) {
      const std::string at = "signers[" + std::to_string(i) + "]";
      SignerInput s;
      CS_ASSIGN_OR_RETURN(s.name, StringMember(signers[i], "name", at + ".name"));
      CS_ASSIGN_OR_RETURN(s.email,
                          StringMember(signers[i], "email_address", at + ".email_address"));
      CS_ASSIGN_OR_RETURN(s.order, IntMember(signers[i], "order", at + ".order"));
      CS_ASSIGN_OR_RETURN(s.pin, StringMember(signers[i], "pin", at + ".pin"));
      for (const auto& [key, value] : signers[i].items()) {  // e.g. sms_phone_number
        if (key != "name" && key != "email_address" && key != "order" && key != "pin") {
          in.ignored_parameters.push_back(at + "." + key);
        }
      }
      in.signers.push_back(std::move(s));
    }
  }
  if (f.Raw("grouped_signers")) {
    return InvalidArgument("grouped_signers is not supported yet; use signers", "grouped_signers");
  }
  CS_ASSIGN_OR_RETURN(auto cc, f.StringArray("cc_email_addresses"));
  if (cc) in.cc_emails = *cc;
  CS_ASSIGN_OR_RETURN(in.title, f.String("title"));
  CS_ASSIGN_OR_RETURN(auto subject, f.String("subject"));
  in.subject = subject.value_or("");
  CS_ASSIGN_OR_RETURN(auto message, f.String("message"));
  in.message = message.value_or("");
  if (const json* raw = f.Raw("metadata")) {
    if (raw->is_object()) {
      in.metadata = *raw;
    } else if (raw->is_string()) {
      const std::string& text = raw->get_ref<const std::string&>();
      if (!text.empty()) {
        in.metadata = ParseClientJson(text);
        if (in.metadata.is_discarded() || !in.metadata.is_object()) {
          return InvalidArgument("metadata must be an object", "metadata");
        }
      }
    } else {
      return InvalidArgument("metadata must be an object", "metadata");
    }
  }
  CS_ASSIGN_OR_RETURN(auto test_mode, f.Bool("test_mode"));
  in.test_mode = test_mode.value_or(false);
  CS_ASSIGN_OR_RETURN(auto allow_decline, f.Bool("allow_decline"));
  in.allow_decline = allow_decline.value_or(false);
  CS_ASSIGN_OR_RETURN(auto allow_reassign, f.Bool("allow_reassign"));
  in.allow_reassign = allow_reassign.value_or(false);
  CS_ASSIGN_OR_RETURN(auto use_text_tags, f.Bool("use_text_tags"));
  in.use_text_tags = use_text_tags.value_or(false);
  CS_ASSIGN_OR_RETURN(auto hide_text_tags, f.Bool("hide_text_tags"));
  in.hide_text_tags = in.use_text_tags && hide_text_tags.value_or(false);
  if (hide_text_tags.value_or(false) && !in.use_text_tags) {
    in.ignored_parameters.push_back("hide_text_tags");  // nothing to hide without text tags
  }
  // Accepted (and type-checked) but not acted on yet: the sender is told when one asks for it.
  for (const char* flag : {"allow_reassign", "is_eid", "is_qualified_signature"}) {
    CS_ASSIGN_OR_RETURN(auto value, f.Bool(flag));
    if (value.value_or(false)) in.ignored_parameters.push_back(flag);
  }
  CS_ASSIGN_OR_RETURN(in.signing_options_json, ObjectText(f, "signing_options"));
  CS_ASSIGN_OR_RETURN(in.field_options_json, ObjectText(f, "field_options"));
  if (const json* raw = f.Raw("form_fields_per_document")) {
    CS_ASSIGN_OR_RETURN(json fields, AsArray(*raw, "form_fields_per_document"));
    CS_ASSIGN_OR_RETURN(in.form_fields, ParseFormFields(fields));
    in.form_fields_json = DumpJson(fields);
  }
  if (const json* raw = f.Raw("form_field_groups")) {
    CS_ASSIGN_OR_RETURN(json groups, AsArray(*raw, "form_field_groups"));
    CS_ASSIGN_OR_RETURN(in.form_field_groups, ParseFormFieldGroups(groups));
  }
  if (const json* raw = f.Raw("form_field_rules")) {
    CS_ASSIGN_OR_RETURN(json rules, AsArray(*raw, "form_field_rules"));
    CS_ASSIGN_OR_RETURN(in.form_field_rules, ParseFormFieldRules(rules));
  }
  if (const json* raw = f.Raw("custom_fields")) {
    json custom = *raw;
    if (raw->is_string()) {  // the SDKs' multipart form sends it as JSON text
      custom = ParseClientJson(raw->get_ref<const std::string&>());
      if (custom.is_discarded())
        return InvalidArgument("custom_fields must be an array", "custom_fields");
    }
    CS_ASSIGN_OR_RETURN(in.custom_fields, ParseCustomFields(custom));
  }
  CS_ASSIGN_OR_RETURN(auto redirect, f.String("signing_redirect_url"));
  in.signing_redirect_url = redirect.value_or("");
  CS_ASSIGN_OR_RETURN(in.expires_at, f.Int("expires_at"));
  CS_ASSIGN_OR_RETURN(auto client_id, f.String("client_id"));
  in.client_id = client_id.value_or("");
  return in;
}

}  // namespace countersign::api
