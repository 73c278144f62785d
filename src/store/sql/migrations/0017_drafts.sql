-- Drafts (issue 15, docs/unclaimed-drafts.md): a send prepared but not sent yet. Unclaimed
-- drafts (POST /v3/unclaimed_draft/*) wait for their claim_url to be opened; the web app's
-- Send page keeps an upload as a draft while fields are placed. The send's parameters are kept
-- as the API takes them (body_json); the documents are rows naming blobs, like a request's.
CREATE TABLE drafts (
  id TEXT PRIMARY KEY,
  signature_request_id TEXT NOT NULL,       -- reserved for the request it becomes
  account_id TEXT NOT NULL,                 -- the creator
  claimed_by TEXT NOT NULL,                 -- '' until claimed
  client_id TEXT NOT NULL,                  -- '' when not tied to an app
  created_by_client_id TEXT NOT NULL,       -- the app whose token created it; '' for the API key
  type TEXT NOT NULL,                       -- request_signature | send_document
  embedded INTEGER NOT NULL,
  requester_email TEXT NOT NULL,
  from_template INTEGER NOT NULL,
  test_mode INTEGER NOT NULL,
  body_json TEXT NOT NULL,                  -- JSON object
  signing_redirect_url TEXT NOT NULL,
  requesting_redirect_url TEXT NOT NULL,
  claim_token_hash TEXT NOT NULL,           -- SHA-256 hex of the claim_url's token
  page_secret_hash TEXT NOT NULL,           -- embedded: '' until the claim_url is opened
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,               -- the claim_url's expiry
  sent_at BIGINT NOT NULL                   -- 0 until sent
);
CREATE INDEX drafts_claim_token ON drafts (claim_token_hash);

CREATE TABLE draft_files (
  draft_id TEXT NOT NULL REFERENCES drafts (id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  page_count INTEGER NOT NULL,
  page_sizes TEXT NOT NULL,                 -- JSON [[w, h], ...] or ''
  PRIMARY KEY (draft_id, position)
);
