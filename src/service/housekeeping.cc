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

int Housekeeping::RunOnce() {
  const int64_t now = clock_.NowSeconds();
  int removed = 0;
  StatusOr<int> sessions = sessions_.DeleteExpired(now);
  if (sessions.ok()) {
    removed += *sessions;
  } else {
    log::Warn("housekeeping", "cannot remove expired sessions",
              {{"error", sessions.status().ToString()}});
  }
  StatusOr<int> counters = rate_limits_.DeleteOlderThan(now - options_.rate_limit_keep_seconds);
  if (counters.ok()) {
    removed += *counters;
  } else {
    log::Warn("housekeeping", "cannot remove old rate-limit counters",
              {{"error", counters.status().ToString()}});
  }
  OAuthStaleRows stale;
  stale.access_expired_before = now - options_.oauth_expired_keep_seconds;
  stale.codes_expired_before = now - options_.oauth_expired_keep_seconds;
  stale.spent_before = now - options_.oauth_spent_keep_seconds;
  stale.revoked_before = now - options_.oauth_spent_keep_seconds;
  StatusOr<int> oauth = oauth_.DeleteStale(stale);
  if (oauth.ok()) {
    removed += *oauth;
  } else {
    log::Warn("housekeeping", "cannot remove stale OAuth codes and tokens",
              {{"error", oauth.status().ToString()}});
  }
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
