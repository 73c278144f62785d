-- Signature requests, their files and signatures; the per-account listing index and counters
-- that keep /signature_request/list fast however many requests are stored; server settings.
CREATE TABLE signature_requests (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  requester_email TEXT NOT NULL,
  client_id TEXT NOT NULL,                  -- '' when not tied to an app
  created_by_client_id TEXT NOT NULL,       -- '' when created with the API key
  title TEXT NOT NULL,
  original_title TEXT NOT NULL,
  subject TEXT NOT NULL,
  message TEXT NOT NULL,
  metadata TEXT NOT NULL,                   -- JSON object
  test_mode INTEGER NOT NULL,
  allow_decline INTEGER NOT NULL,
  allow_reassign INTEGER NOT NULL,
  signing_options TEXT NOT NULL,            -- JSON object text or ''
  field_options TEXT NOT NULL,
  form_fields TEXT NOT NULL,
  signing_redirect_url TEXT NOT NULL,
  cc_emails TEXT NOT NULL,                  -- JSON array
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,               -- 0: never
  is_complete INTEGER NOT NULL DEFAULT 0,
  is_declined INTEGER NOT NULL DEFAULT 0,
  has_error INTEGER NOT NULL DEFAULT 0,
  canceled_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE signature_request_files (
  request_id TEXT NOT NULL REFERENCES signature_requests (id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  page_count INTEGER NOT NULL,
  PRIMARY KEY (request_id, position)
);

CREATE TABLE signatures (
  signature_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES signature_requests (id),
  position INTEGER NOT NULL,
  signer_order INTEGER,                     -- NULL when no order was given
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  pin_hash TEXT NOT NULL,
  status_code TEXT NOT NULL,
  signed_at BIGINT NOT NULL DEFAULT 0,
  last_viewed_at BIGINT NOT NULL DEFAULT 0,
  last_reminded_at BIGINT NOT NULL DEFAULT 0,
  decline_reason TEXT NOT NULL DEFAULT '',
  access_hash TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signatures_request ON signatures (request_id, position);
CREATE INDEX signatures_email ON signatures (email);

-- One row per account that sees a request in its list: the requester (with the app whose
-- token created it) and each signer who had an account when it was sent ('' app).
CREATE TABLE request_listing (
  account_id TEXT NOT NULL,
  request_id TEXT NOT NULL REFERENCES signature_requests (id),
  created_by_client_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, request_id)
);
CREATE INDEX request_listing_recent ON request_listing (account_id, created_at, request_id);
CREATE INDEX request_listing_app ON request_listing
  (account_id, created_by_client_id, created_at, request_id);

-- Listed (not canceled) requests per account, overall (client '*') and per creating app.
CREATE TABLE request_counts (
  account_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (account_id, client_id)
);

-- Server-wide secrets and settings shared by every instance (e.g. the file URL signing key).
CREATE TABLE server_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
