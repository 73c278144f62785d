// EventStore: the durable event outbox and its deliveries (issue 5). Events caused by another
// change are written inside that change's transaction by the store that makes it; this
// interface records stand-alone events (callback_test), hands due deliveries to the worker —
// for each callback URL only the oldest undelivered one, so one URL hears its events in
// order — and records outcomes. Claims are atomic in the database, so with several instances
// each delivery is attempted by one of them at a time. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/event_records.h"

namespace countersign {

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Records `event` and its deliveries (resolved as InsertEvent does) in one transaction.
  virtual Status Record(const EventRecord& event, int64_t now) = 0;

  // Claims up to `limit` due deliveries for `lease_seconds`: for each URL, its oldest
  // undelivered one, if due and not held. Deliveries of a disabled callback are skipped (they
  // stay pending until the callback is switched on again) and do not hold up other callbacks
  // sharing their URL.
  virtual StatusOr<std::vector<EventDelivery>> ClaimDue(int64_t now, int limit,
                                                        int64_t lease_seconds) = 0;
  virtual Status MarkDelivered(const std::string& delivery_id, int64_t now, int status_code) = 0;
  // Another try at `retry_at` (attempts + 1).
  virtual Status MarkRetry(const std::string& delivery_id, int64_t retry_at, int status_code,
                           const std::string& error) = 0;
  // No more tries (attempts + 1). Later events for the URL may then go out — unless this makes
  // `disable_after_failures` (> 0) failures in a row (FailuresSinceLastSuccess) for its
  // callback, which is then switched off in the same transaction, so no other worker can start
  // the next delivery in between. Returns whether it switched the callback off.
  virtual StatusOr<bool> MarkFailed(const std::string& delivery_id, int64_t now, int status_code,
                                    const std::string& error, int disable_after_failures = 0) = 0;

  // The newest deliveries to one callback (for the owner's page), newest first.
  virtual StatusOr<std::vector<EventDelivery>> Recent(CallbackKind kind,
                                                      const std::string& target_id, int limit) = 0;
  // Makes a failed delivery of that callback pending again, due at `now`. kNotFound when
  // there is no such failed delivery for that target.
  virtual Status Resend(CallbackKind kind, const std::string& target_id,
                        const std::string& delivery_id, int64_t now) = 0;
  // How many deliveries to the callback failed in a row: those created after its last
  // successful one and not before its last callback_test (recorded whenever the callback is
  // saved, so a save starts afresh).
  virtual StatusOr<int> FailuresSinceLastSuccess(CallbackKind kind,
                                                 const std::string& target_id) = 0;
  // Switches a callback off (no new deliveries) or on again (when its owner saves it).
  virtual Status SetCallbackDisabled(CallbackKind kind, const std::string& target_id, bool disabled,
                                     int64_t now) = 0;
  virtual StatusOr<bool> IsCallbackDisabled(CallbackKind kind, const std::string& target_id) = 0;
};

}  // namespace countersign
