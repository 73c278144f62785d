-- Embedded signing (issue 14): a request created with /signature_request/create_embedded is
-- signed inside the app's own page through hellosign-embedded, so its signers are never mailed
-- (embedded = 1). Each sign_url the sender asks for is one row: the SHA-256 of its secret,
-- the signature it opens, when it stops working (60 minutes) and when it was used (0: not
-- yet); a sign_url opens the page once.
ALTER TABLE signature_requests ADD COLUMN embedded INTEGER NOT NULL DEFAULT 0;
CREATE TABLE embedded_sign_urls (
  token_hash TEXT PRIMARY KEY,
  signature_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX embedded_sign_urls_expiry ON embedded_sign_urls (expires_at);
