// Events (callbacks) records: what happened, and one delivery per callback URL that should hear
// about it. Plain data; the EventService and the delivery worker own the rules.
#pragma once

#include <cstdint>
#include <string>

namespace countersign {

struct EventRecord {
  std::string id;                    // 32 hex
  std::string event_type;            // e.g. "signature_request_sent", "account_confirmed"
  int64_t event_time = 0;            // unix seconds
  std::string account_id;            // the account the event concerns
  std::string client_id;             // the app it belongs to ('' none)
  std::string signature_request_id;  // '' for account and template events
  std::string template_id;           // '' unless a template event (template_created)
  std::string related_signature_id;  // '' unless a signer's action
  std::string event_message;         // decline reason, error text, or ''
};

enum class CallbackKind { kAccount = 1, kApp = 2 };

enum class DeliveryStatus { kPending = 0, kDelivered = 1, kFailed = 2 };

struct EventDelivery {
  std::string id;  // 32 hex
  EventRecord event;
  CallbackKind kind = CallbackKind::kAccount;
  std::string target_id;  // the account_id or client_id whose callback it is
  std::string url;
  std::string key_account_id;  // the account whose API key signs event_hash
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int last_status_code = 0;
  std::string last_error;
  int64_t created_at = 0;
  int64_t delivered_at = 0;
};

}  // namespace countersign
