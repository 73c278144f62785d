// The body of an event callback (CONTRACT.md §7.3): {"event": {...}, "signature_request",
// "template" or "account": {...}}, with event_time as a string and
// event_hash = hex HMAC-SHA256(API key, event_time + event_type), which the official SDKs'
// EventCallbackHelper.isValid checks. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/event_records.h"

namespace countersign::wire {

// `api_key`: the key of the account that owns the callback. `subject`: the rendered
// signature_request (for request events), template (for template events) or account (for
// account events) object, or null.
nlohmann::json BuildEventPayload(const EventDelivery& delivery, const std::string& api_key,
                                 const nlohmann::json& subject);

}  // namespace countersign::wire
