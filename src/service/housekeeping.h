// Housekeeping: the periodic removal of rows that nothing reads any more: expired web sessions,
// rate-limit counters whose window began more than `rate_limit_keep_seconds` ago (log-in
// failures counted against made-up addresses, API keys no longer used), and OAuth rows
// (OAuthStore::DeleteStale): access tokens and codes expired more than `oauth_expired_keep_seconds`
// ago, refresh tokens spent and tokens of grants revoked more than `oauth_spent_keep_seconds`
// ago (every refresh leaves a spent refresh token and, an hour later, an expired access token).
// Without it they pile up for as long as a server runs. A pass runs when the task starts and then
// every `interval`; every instance may run it (the deletes are idempotent). The first pass that can
// also seals the signer PINs that drafts stored by older versions keep in the clear
// (SealStoredDraftPins). Thread-safe as BackgroundTask.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/background_task.h"
#include "core/clock.h"
#include "store/draft_store.h"
#include "store/oauth_store.h"
#include "store/rate_limit_store.h"
#include "store/session_store.h"

namespace countersign {

struct HousekeepingOptions {
  std::chrono::milliseconds interval{std::chrono::hours(1)};
  int64_t rate_limit_keep_seconds = 2 * 24 * 3600;
  int64_t oauth_expired_keep_seconds = 24 * 3600;
  // How long presenting a spent refresh token again still revokes its grant.
  int64_t oauth_spent_keep_seconds = 30 * 24 * 3600;
};

class Housekeeping final : public BackgroundTask {
 public:
  // The stores and `clock` must outlive this object.
  Housekeeping(SessionStore& sessions, RateLimitStore& rate_limits, DraftStore& drafts,
               OAuthStore& oauth, const Clock& clock, HousekeepingOptions options = {});
  ~Housekeeping() override;  // Stop()

  // Removes what has expired by now (and seals old PINs, until that succeeded once); returns
  // how many rows it removed or changed. Errors are logged, not returned.
  int RunOnce() override;

 private:
  SessionStore& sessions_;
  RateLimitStore& rate_limits_;
  DraftStore& drafts_;
  OAuthStore& oauth_;
  std::atomic<bool> pins_sealed_{false};
  const Clock& clock_;
  const HousekeepingOptions options_;
};

}  // namespace countersign
