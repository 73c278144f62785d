// SqlEventStore: EventStore over the events, event_deliveries and disabled_callbacks tables
// (migration 0004). Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/event_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlEventStore : public EventStore {
 public:
  explicit SqlEventStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  Status Record(const EventRecord& event, int64_t now) override;
  StatusOr<std::vector<EventDelivery>> ClaimDue(int64_t now, int limit,
                                                int64_t lease_seconds) override;
  Status MarkDelivered(const std::string& delivery_id, int64_t now, int status_code) override;
  Status MarkRetry(const std::string& delivery_id, int64_t retry_at, int status_code,
                   const std::string& error) override;
  StatusOr<bool> MarkFailed(const std::string& delivery_id, int64_t now, int status_code,
                            const std::string& error, int disable_after_failures) override;
  StatusOr<std::vector<EventDelivery>> Recent(CallbackKind kind, const std::string& target_id,
                                              int limit) override;
  Status Resend(CallbackKind kind, const std::string& target_id, const std::string& delivery_id,
                int64_t now) override;
  StatusOr<int> FailuresSinceLastSuccess(CallbackKind kind, const std::string& target_id) override;
  Status SetCallbackDisabled(CallbackKind kind, const std::string& target_id, bool disabled,
                             int64_t now) override;
  StatusOr<bool> IsCallbackDisabled(CallbackKind kind, const std::string& target_id) override;

 private:
  Status Finish(const std::string& delivery_id, int status, int64_t next_attempt_at,
                int64_t delivered_at, int status_code, const std::string& error);

  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
