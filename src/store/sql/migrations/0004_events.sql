-- Events and their deliveries to callback URLs (issue 5). An event is written in the same
-- transaction as the change that caused it, together with one delivery row per callback that
-- should receive it (the account's callback_url, and the app's callback_url for requests made
-- through an app). Deliveries to one URL go out in `seq` order.
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  event_time BIGINT NOT NULL,
  account_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  signature_request_id TEXT NOT NULL,
  related_signature_id TEXT NOT NULL,
  event_message TEXT NOT NULL
);

CREATE TABLE event_deliveries (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES events (id),
  kind INTEGER NOT NULL,                 -- 1 account callback, 2 app callback
  target_id TEXT NOT NULL,
  url TEXT NOT NULL,
  key_account_id TEXT NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,     -- 0 pending, 1 delivered, 2 failed
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  leased_until BIGINT NOT NULL DEFAULT 0,
  last_status_code INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  delivered_at BIGINT NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL
);
CREATE INDEX event_deliveries_due ON event_deliveries (status, next_attempt_at);
CREATE INDEX event_deliveries_url ON event_deliveries (url, status, seq);
CREATE INDEX event_deliveries_target ON event_deliveries (kind, target_id, created_at);

-- Callbacks switched off after repeated failures, until their owner saves them again.
CREATE TABLE disabled_callbacks (
  url_key TEXT PRIMARY KEY,              -- '<kind>:<target_id>'
  disabled_at BIGINT NOT NULL
);
