-- Email confirmation (issue 4, docs/account-creation.md): the emailed links, and grants that
-- wait for the user's consent (created with the account by POST /v3/account/create).
CREATE TABLE account_confirmations (
  token_hash TEXT PRIMARY KEY,              -- SHA-256 hex of the link's token
  account_id TEXT NOT NULL,
  client_id TEXT NOT NULL,                  -- the app that created the account; '' otherwise
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0         -- set on every link of the account once it confirms
);
CREATE INDEX account_confirmations_account ON account_confirmations (account_id, created_at);

-- 1 while the user has not accepted the app yet: such a grant never authenticates or refreshes.
ALTER TABLE oauth_grants ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;

-- Accounts made before confirmation existed (CLI, sign-up) keep working as they did.
UPDATE accounts SET email_confirmed = 1;
