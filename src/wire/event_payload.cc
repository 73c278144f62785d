#include "wire/event_payload.h"

#include "core/crypto.h"

namespace countersign::wire {

using nlohmann::json;

namespace {

json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

json BuildEventPayload(const EventDelivery& d, const std::string& api_key, const json& subject) {
  const EventRecord& e = d.event;
  const std::string time = std::to_string(e.event_time);
  const bool app = d.kind == CallbackKind::kApp;
  json metadata = json::object();
  metadata["related_signature_id"] = TextOrNull(e.related_signature_id);
  metadata["reported_for_account_id"] = app ? json(nullptr) : json(d.target_id);
  metadata["reported_for_app_id"] = app ? json(d.target_id) : json(nullptr);
  metadata["event_message"] = TextOrNull(e.event_message);
  json event = json::object();
  event["event_time"] = time;
  event["event_type"] = e.event_type;
  event["event_hash"] = HmacSha256Hex(api_key, time + e.event_type);
  event["event_metadata"] = std::move(metadata);
  json out = json::object();
  out["event"] = std::move(event);
  if (!subject.is_null()) {
    const char* key = !e.signature_request_id.empty() ? "signature_request"
                      : !e.template_id.empty()        ? "template"
                                                      : "account";
    out[key] = subject;
  }
  return out;
}

}  // namespace countersign::wire
