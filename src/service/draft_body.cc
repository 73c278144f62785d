#include "service/draft_body.h"

#include <map>

#include "core/crypto.h"
#include "service/validation.h"

namespace countersign {

using nlohmann::json;

namespace {

// `text` parsed as JSON when it holds a value of the wanted kind; null otherwise.
json Stored(const std::string& text, bool want_array) {
  if (text.empty()) return nullptr;
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return nullptr;
  if (want_array ? !parsed.is_array() : !parsed.is_object()) return nullptr;
  return parsed;
}

void SetOrErase(json& body, const char* key, json value) {
  if (value.is_null() || (value.is_array() && value.empty())) {
    body.erase(key);
  } else {
    body[key] = std::move(value);
  }
}

constexpr const char* kPinKeys[] = {"pin", "pin_hash"};

// The signers of `body` that are JSON objects.
std::vector<json*> SignerObjects(json& body) {
  std::vector<json*> out;
  auto it = body.find("signers");
  if (it == body.end() || !it->is_array()) return out;
  for (json& signer : *it) {
    if (signer.is_object()) out.push_back(&signer);
  }
  return out;
}

// A signer's PIN as `body` holds it: in the clear ("pin") or sealed ("pin_hash").
struct StoredPin {
  const char* key;
  json value;
};

// The PIN of each signer of `body` that has one, by lower-case email address.
std::map<std::string, StoredPin> PinsByAddress(json& body) {
  std::map<std::string, StoredPin> out;
  for (json* signer : SignerObjects(body)) {
    auto address = signer->find("email_address");
    if (address == signer->end() || !address->is_string()) continue;
    for (const char* key : kPinKeys) {
      if (signer->contains(key)) out[ToLower(address->get<std::string>())] = {key, (*signer)[key]};
    }
  }
  return out;
}

}  // namespace

void ApplyDraftEdit(json& body, const DraftEdit& edit, bool from_template) {
  const auto pins = PinsByAddress(body);
  json signers = json::array();
  for (const SignerInput& s : edit.signers) {
    json signer = {{"name", s.name}, {"email_address", s.email}};
    if (from_template) signer["role"] = s.role;
    if (s.order && !from_template) signer["order"] = *s.order;
    if (!s.pin.empty()) {
      signer["pin"] = s.pin;
    } else if (auto kept = pins.find(ToLower(s.email)); kept != pins.end()) {
      signer[kept->second.key] = kept->second.value;
    }
    signers.push_back(std::move(signer));
  }
  SetOrErase(body, "signers", std::move(signers));
  if (from_template) {
    json ccs = json::array();
    for (const auto& [role, email] : edit.role_ccs) {
      ccs.push_back({{"role", role}, {"email_address", email}});
    }
    SetOrErase(body, "ccs", std::move(ccs));
  } else {
    SetOrErase(body, "cc_email_addresses", json(edit.cc_emails));
  }
  body["title"] = edit.title;
  body["subject"] = edit.subject;
  body["message"] = edit.message;
  body["test_mode"] = edit.test_mode;
  SetOrErase(body, "expires_at", edit.expires_at ? json(*edit.expires_at) : json(nullptr));
  if (edit.form_fields) SetOrErase(body, "form_fields_per_document", *edit.form_fields);
}

Status SealSignerPins(json& body) {
  for (json* signer : SignerObjects(body)) {
    auto pin = signer->find("pin");
    if (pin == signer->end()) continue;
    if (pin->is_string() && !pin->get<std::string>().empty()) {
      CS_ASSIGN_OR_RETURN(std::string hash, HashPin(pin->get<std::string>()));
      (*signer)["pin_hash"] = std::move(hash);
    }
    signer->erase("pin");
  }
  return Status::Ok();
}

void DropSealedPins(json& body) {
  for (json* signer : SignerObjects(body)) signer->erase("pin_hash");
}

std::vector<std::string> TakeSealedPins(json& body) {
  std::vector<std::string> out;
  auto it = body.find("signers");
  if (it == body.end() || !it->is_array()) return out;
  for (json& signer : *it) {
    std::string& hash = out.emplace_back();
    if (!signer.is_object()) continue;
    auto sealed = signer.find("pin_hash");
    if (sealed == signer.end()) continue;
    if (sealed->is_string()) hash = sealed->get<std::string>();
    signer.erase(sealed);
  }
  return out;
}

json DraftBodyOfRequest(const SignatureRequest& r) {
  json body = json::object();
  json signers = json::array();
  for (const Signature& s : r.signatures) {
    json signer = {{"name", s.name}, {"email_address", s.email}};
    if (s.order) signer["order"] = *s.order;
    signers.push_back(std::move(signer));
  }
  SetOrErase(body, "signers", std::move(signers));
  SetOrErase(body, "cc_email_addresses", json(r.cc_emails));
  body["title"] = r.original_title.empty() ? r.title : r.original_title;
  body["subject"] = r.subject;
  body["message"] = r.message;
  SetOrErase(body, "metadata", Stored(r.metadata_json, false));
  body["allow_decline"] = r.allow_decline;
  body["allow_reassign"] = r.allow_reassign;
  SetOrErase(body, "signing_options", Stored(r.signing_options_json, false));
  SetOrErase(body, "field_options", Stored(r.field_options_json, false));
  SetOrErase(body, "form_fields_per_document", Stored(r.form_fields_json, true));
  SetOrErase(body, "form_field_groups", Stored(r.form_field_groups_json, true));
  SetOrErase(body, "form_field_rules", Stored(r.form_field_rules_json, true));
  SetOrErase(body, "custom_fields", Stored(r.custom_fields_json, true));
  if (!r.signing_redirect_url.empty()) body["signing_redirect_url"] = r.signing_redirect_url;
  return body;
}

}  // namespace countersign
