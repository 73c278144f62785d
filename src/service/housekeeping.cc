#include "service/housekeeping.h"

#include "core/log.h"
#include "service/draft_pin_sealing.h"

namespace countersign {

Housekeeping::Housekeeping(SessionStore& sessions, RateLimitStore& rate_limits, DraftStore& drafts,
                           OAuthStore& oauth, const Clock& clock, HousekeepingOptions options)
    : BackgroundTask({"housekeeping", 1, options.interval}),
      sessions_(sessions),
      rate_limits_(rate_limits),
      drafts_(drafts),
      oauth_(oauth),
      clock_(clock),
      options_(options) {}

Housekeeping::~Housekeeping() { Stop(); }

namespace {

// How many rows `result` counts, or 0 with `failure` logged.
int Counted(const StatusOr<int>& result, const char* failure) {
  if (result.ok()) return *result;
  log::Warn("housekeeping", failure, {{"error", result.status().ToString()}});
  return 0;
}

}  // namespace

int Housekeeping::RunOnce() {
  const int64_t now = clock_.NowSeconds();
  int removed = Counted(sessions_.DeleteExpired(now), "cannot remove expired sessions");
  removed += Counted(rate_limits_.DeleteOlderThan(now - options_.rate_limit_keep_seconds),
                     "cannot remove old rate-limit counters");
  OAuthStaleRows stale;
  stale.access_expired_before = now - options_.oauth_expired_keep_seconds;
  stale.codes_expired_before = now - options_.oauth_expired_keep_seconds;
  stale.spent_before = now - options_.oauth_spent_keep_seconds;
  stale.revoked_before = now - options_.oauth_spent_keep_seconds;
  removed += Counted(oauth_.DeleteStale(stale), "cannot remove stale OAuth codes and tokens");
  if (!pins_sealed_) {
    StatusOr<int> sealed = SealStoredDraftPins(drafts_);
    if (sealed.ok()) {
      pins_sealed_ = true;
      if (*sealed > 0) log::Info("housekeeping", "sealed draft PINs", {{"drafts", *sealed}});
      removed += *sealed;
    } else {
      log::Warn("housekeeping", "cannot seal the PINs of stored drafts",
                {{"error", sealed.status().ToString()}});
    }
  }
  return removed;
}

}  // namespace countersign
