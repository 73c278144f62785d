#include "service/send_validation.h"

#include <set>

#include "service/form_fields.h"
#include "service/text_validation.h"
#include "service/validation.h"

namespace countersign {

namespace {

std::string At(const char* field, size_t i, const char* member = nullptr) {
  std::string path = std::string(field) + "[" + std::to_string(i) + "]";
  if (member) path += std::string(".") + member;
  return path;
}

// The error for `email`, naming it when it is plain text (never echo bytes that are not).
std::string InvalidEmailMessage(const std::string& email) {
  if (!CheckPlainText(email, "email").ok()) return "Invalid email address";
  return "Invalid email address: " + email;
}

// signing_options (openapi SubSigningOptions): default_type one of the four kinds, the kinds
// booleans, and draw or type allowed (the kinds a signer here can use).
Status ValidateSigningOptions(const std::string& text) {
  if (text.empty()) return Status::Ok();
  const nlohmann::json options = nlohmann::json::parse(text, nullptr, false);
  if (!options.is_object())
    return InvalidArgument("signing_options must be an object", "signing_options");
  static const std::set<std::string> kKinds = {"draw", "phone", "type", "upload"};
  if (auto it = options.find("default_type"); it != options.end()) {
    if (!it->is_string() || kKinds.count(it->get<std::string>()) == 0) {
      return InvalidArgument("default_type must be draw, phone, type or upload",
                             "signing_options[default_type]");
    }
  }
  for (const std::string& kind : kKinds) {
    auto it = options.find(kind);
    if (it != options.end() && !it->is_boolean()) {
      return InvalidArgument(kind + " must be true or false", "signing_options[" + kind + "]");
    }
  }
  if (!SigningOptionsAllow(options, "draw") && !SigningOptionsAllow(options, "type")) {
    return InvalidArgument("signing_options must allow draw or type: signers here draw or type",
                           "signing_options");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateSigners(std::vector<SignerInput>& signers) {
  if (signers.empty()) return InvalidArgument("At least one signer is required", "signers");
  if (signers.size() > 100) return InvalidArgument("At most 100 signers are allowed", "signers");
  for (size_t i = 0; i < signers.size(); ++i) {
    SignerInput& s = signers[i];
    s.name = Trim(s.name);
    s.email = ToLower(Trim(s.email));
    if (s.name.empty()) {
      return InvalidArgument("This value should not be blank", At("signers", i, "name"));
    }
    if (CharacterCount(s.name) > 255) {
      return InvalidArgument("The signer name is too long", At("signers", i, "name"));
    }
    CS_RETURN_IF_ERROR(CheckPlainText(s.name, At("signers", i, "name")));
    if (s.email.empty()) {
      return InvalidArgument("This value should not be blank", At("signers", i, "email_address"));
    }
    if (!IsValidEmail(s.email)) {
      return InvalidArgument(InvalidEmailMessage(s.email), At("signers", i, "email_address"));
    }
    if (s.order && (*s.order < 0 || *s.order > 1000)) {
      return InvalidArgument("order must be between 0 and 1000", At("signers", i, "order"));
    }
    if (!s.pin.empty() && (s.pin.size() < 4 || s.pin.size() > 12)) {
      return InvalidArgument("pin must be 4 to 12 characters", At("signers", i, "pin"));
    }
  }
  return Status::Ok();
}

Status ValidateCcEmails(std::vector<std::string>& emails) {
  if (emails.size() > 100) {
    return InvalidArgument("At most 100 CC addresses are allowed", "cc_email_addresses");
  }
  for (size_t i = 0; i < emails.size(); ++i) {
    emails[i] = ToLower(Trim(emails[i]));
    if (!IsValidEmail(emails[i])) {
      return InvalidArgument(InvalidEmailMessage(emails[i]), At("cc_email_addresses", i));
    }
  }
  return Status::Ok();
}

Status ValidateMetadata(const nlohmann::json& metadata) {
  if (!metadata.is_object()) return InvalidArgument("metadata must be an object", "metadata");
  if (metadata.size() > 10) {
    return InvalidArgument("metadata may have at most 10 keys", "metadata");
  }
  for (const auto& [key, value] : metadata.items()) {
    if (key.empty() || key.size() > 40) {
      return InvalidArgument("metadata keys must be 1 to 40 characters", "metadata");
    }
    std::string text = value.is_string()
                           ? value.get<std::string>()
                           : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > 1000) {
      return InvalidArgument("metadata values may be at most 1000 characters (key " + key + ")",
                             "metadata");
    }
    CS_RETURN_IF_ERROR(CheckPlainText(key, "metadata"));
    if (value.is_string()) CS_RETURN_IF_ERROR(CheckPlainText(text, "metadata", true));
  }
  return Status::Ok();
}

bool SigningOptionsAllow(const nlohmann::json& options, const char* kind) {
  auto flag = options.find(kind);
  if (flag == options.end() || !flag->is_boolean() || flag->get<bool>()) return true;
  auto default_type = options.find("default_type");
  return default_type != options.end() && *default_type == kind;
}

Status ValidateFieldOptions(const std::string& text) {
  if (text.empty()) return Status::Ok();
  const nlohmann::json options = nlohmann::json::parse(text, nullptr, false);
  if (!options.is_object())
    return InvalidArgument("field_options must be an object", "field_options");
  auto it = options.find("date_format");
  if (it != options.end() && (!it->is_string() || !IsDateFormat(it->get<std::string>()))) {
    return InvalidArgument("date_format must be one of the API's date formats, e.g. MM / DD / YYYY",
                           "field_options[date_format]");
  }
  return Status::Ok();
}

Status ValidateTexts(const SendInput& input, int64_t now) {
  CS_RETURN_IF_ERROR(ValidateSigningOptions(input.signing_options_json));
  CS_RETURN_IF_ERROR(ValidateFieldOptions(input.field_options_json));
  if (input.title && CharacterCount(*input.title) > 255) {
    return InvalidArgument("title may be at most 255 characters", "title");
  }
  if (CharacterCount(input.subject) > 255) {
    return InvalidArgument("subject may be at most 255 characters", "subject");
  }
  if (CharacterCount(input.message) > 5000) {
    return InvalidArgument("message may be at most 5000 characters", "message");
  }
  if (input.title) CS_RETURN_IF_ERROR(CheckPlainText(*input.title, "title"));
  // Line breaks in a subject are folded away by the mailer (signature_requests_send checks
  // they cannot add headers), so they stay accepted as before.
  CS_RETURN_IF_ERROR(CheckPlainText(input.subject, "subject", true));
  CS_RETURN_IF_ERROR(CheckPlainText(input.message, "message", true));
  if (!input.signing_redirect_url.empty() && !IsValidHttpUrl(input.signing_redirect_url)) {
    return InvalidArgument("signing_redirect_url must be an http or https URL",
                           "signing_redirect_url");
  }
  if (input.expires_at && *input.expires_at != 0) {
    if (*input.expires_at <= now || *input.expires_at > now + 90 * 24 * 3600) {
      return InvalidArgument("expires_at must be in the future and at most 90 days ahead",
                             "expires_at");
    }
  }
  return Status::Ok();
}

}  // namespace countersign
