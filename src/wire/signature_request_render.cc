#include "wire/signature_request_render.h"

namespace countersign::wire {

using nlohmann::json;

namespace {

json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json TimeOrNull(int64_t t) { return t == 0 ? json(nullptr) : json(t); }

json RenderSignature(const Signature& s) {
  json out = json::object();
  out["signature_id"] = s.signature_id;
  out["signer_group_guid"] = nullptr;
  out["signer_email_address"] = s.email;
  out["signer_name"] = s.name;
  out["signer_role"] = TextOrNull(s.role);
  out["order"] = s.order ? json(*s.order) : json(nullptr);
  out["status_code"] = s.status_code;
  out["decline_reason"] = TextOrNull(s.decline_reason);
  out["signed_at"] = TimeOrNull(s.signed_at);
  out["last_viewed_at"] = TimeOrNull(s.last_viewed_at);
  out["last_reminded_at"] = TimeOrNull(s.last_reminded_at);
  out["has_pin"] = !s.pin_hash.empty();
  out["has_sms_auth"] = false;
  out["has_sms_delivery"] = false;
  out["sms_phone_number"] = nullptr;
  out["reassigned_by"] = nullptr;
  out["reassignment_reason"] = nullptr;
  out["reassigned_from"] = nullptr;
  out["error"] = nullptr;
  return out;
}

}  // namespace

json RenderSignatureRequest(const SignatureRequest& r, const std::string& base_url,
                            const RequestFieldData& fields) {
  json metadata = json::parse(r.metadata_json, nullptr, false);
  if (metadata.is_discarded() || !metadata.is_object()) metadata = json::object();
  json signatures = json::array();
  for (const auto& s : r.signatures) signatures.push_back(RenderSignature(s));

  json out = json::object();
  out["signature_request_id"] = r.id;
  out["test_mode"] = r.test_mode;
  out["title"] = r.title;
  out["original_title"] = r.original_title;
  out["subject"] = TextOrNull(r.subject);
  out["message"] = TextOrNull(r.message);
  out["metadata"] = std::move(metadata);
  out["created_at"] = r.created_at;
  out["expires_at"] = TimeOrNull(r.expires_at);
  out["is_complete"] = r.is_complete;
  out["is_declined"] = r.is_declined;
  out["has_error"] = r.has_error;
  out["files_url"] = base_url + "/v3/signature_request/files/" + r.id;
  out["signing_url"] = nullptr;
  out["details_url"] = base_url + "/requests/" + r.id;
  out["requester_email_address"] = r.requester_email;
  out["cc_email_addresses"] = r.cc_emails;
  out["signing_redirect_url"] = TextOrNull(r.signing_redirect_url);
  out["final_copy_uri"] = nullptr;
  out["template_ids"] = r.template_ids.empty() ? json(nullptr) : json(r.template_ids);
  out["custom_fields"] = json::array();
  for (const CustomFieldDatum& c : fields.custom_fields) {
    json item = {{"name", c.name}, {"type", c.type}, {"required", c.required}};
    item["api_id"] = TextOrNull(c.api_id);
    item["editor"] = c.editor ? json(*c.editor) : json(nullptr);
    if (c.value) item["value"] = *c.value;
    if (c.checked) item["value"] = *c.checked;
    out["custom_fields"].push_back(std::move(item));
  }
  out["attachments"] = json::array();
  out["response_data"] = json::array();
  for (const ResponseDatum& d : fields.response_data) {
    json item = {{"api_id", d.api_id},
                 {"signature_id", TextOrNull(d.signature_id)},
                 {"name", d.name},
                 {"required", d.required},
                 {"type", d.type}};
    if (d.value) item["value"] = *d.value;
    if (d.checked) item["value"] = *d.checked;
    if (d.is_signed) item["is_signed"] = *d.is_signed;
    out["response_data"].push_back(std::move(item));
  }
  out["signatures"] = std::move(signatures);
  out["bulk_send_job_id"] = nullptr;
  out["signer_experience"] = json{{"form_view", "disabled"}};
  return out;
}

}  // namespace countersign::wire
