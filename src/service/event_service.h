// EventService: what the API and pages do with event callbacks besides the automatic events:
// a `callback_test` event whenever an account or app callback URL is saved (saving also
// switches a disabled callback back on), the recent deliveries of a callback for its owner,
// and resending a failed one. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/event_store.h"

namespace countersign {

class EventService {
 public:
  // `wake`: called after recording something to deliver (wakes the worker); may be empty.
  EventService(EventStore& store, const Clock& clock, std::function<void()> wake);

  // The account's callback_url was saved.
  Status AccountCallbackSaved(const std::string& account_id);
  // The app's callback_url was saved; `owner_account_id` owns the app.
  Status AppCallbackSaved(const std::string& client_id, const std::string& owner_account_id);

  StatusOr<std::vector<EventDelivery>> RecentDeliveries(CallbackKind kind,
                                                        const std::string& target_id,
                                                        int limit = 50);
  // Tries a failed delivery of this callback once more, now, and switches the callback back on
  // if it was disabled. kNotFound when the delivery is not a failed one of this callback.
  Status Resend(CallbackKind kind, const std::string& target_id, const std::string& delivery_id);
  StatusOr<bool> IsDisabled(CallbackKind kind, const std::string& target_id);

 private:
  Status Test(CallbackKind kind, const std::string& target_id, const std::string& account_id,
              const std::string& client_id);

  EventStore& store_;
  const Clock& clock_;
  std::function<void()> wake_;
};

}  // namespace countersign
