-- Counters shared by every instance: API rate-limit windows (service/rate_limiter.h) and
-- failed log-ins (service/login_throttle.h). One row per bucket, e.g. "api:acct:<id>:standard"
-- or "login:ip:<address>"; `taken` counts what was handed out in the fixed window that began
-- at `window_start` (Unix seconds). A row from an older window starts over when next used.
CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  taken BIGINT NOT NULL
);
