// The event record for something that happened to a signature request, reported for its
// requester and (when it belongs to one) its app. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/ids.h"
#include "model/event_records.h"
#include "model/signature_request_records.h"

namespace countersign {

inline EventRecord RequestEvent(const SignatureRequest& r, const char* type, int64_t now,
                                const std::string& related_signature_id = "",
                                const std::string& message = "") {
  EventRecord e;
  e.id = NewInternalId();
  e.event_type = type;
  e.event_time = now;
  e.account_id = r.account_id;
  e.client_id = r.client_id;
  e.signature_request_id = r.id;
  e.related_signature_id = related_signature_id;
  e.event_message = message;
  return e;
}

}  // namespace countersign
