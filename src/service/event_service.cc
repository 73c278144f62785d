#include "service/event_service.h"

#include "core/ids.h"

namespace countersign {

EventService::EventService(EventStore& store, const Clock& clock, std::function<void()> wake)
    : store_(store), clock_(clock), wake_(std::move(wake)) {}

Status EventService::Test(CallbackKind kind, const std::string& target_id,
                          const std::string& account_id, const std::string& client_id) {
  const int64_t now = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(store_.SetCallbackDisabled(kind, target_id, false, now));
  EventRecord e;
  e.id = NewInternalId();
  e.event_type = "callback_test";
  e.event_time = now;
  e.account_id = account_id;
  e.client_id = client_id;
  CS_RETURN_IF_ERROR(store_.Record(e, now));
  if (wake_) wake_();
  return Status::Ok();
}

Status EventService::AccountCallbackSaved(const std::string& account_id) {
  return Test(CallbackKind::kAccount, account_id, account_id, "");
}

Status EventService::AppCallbackSaved(const std::string& client_id,
                                      const std::string& owner_account_id) {
  return Test(CallbackKind::kApp, client_id, owner_account_id, client_id);
}

StatusOr<std::vector<EventDelivery>> EventService::RecentDeliveries(CallbackKind kind,
                                                                    const std::string& target_id,
                                                                    int limit) {
  return store_.Recent(kind, target_id, limit);
}

Status EventService::Resend(CallbackKind kind, const std::string& target_id,
                            const std::string& delivery_id) {
  const int64_t now = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(store_.Resend(kind, target_id, delivery_id, now));
  // The owner asked for this delivery: a disabled callback is switched back on for it.
  CS_RETURN_IF_ERROR(store_.SetCallbackDisabled(kind, target_id, false, now));
  if (wake_) wake_();
  return Status::Ok();
}

StatusOr<bool> EventService::IsDisabled(CallbackKind kind, const std::string& target_id) {
  return store_.IsCallbackDisabled(kind, target_id);
}

}  // namespace countersign
