-- Initial schema: accounts, API apps, OAuth codes/grants/tokens and browser sessions.
-- Portable SQL (SQLite and PostgreSQL): TEXT and INTEGER/BIGINT only; booleans are INTEGER
-- 0/1; lists (domains, scopes) are JSON arrays stored as TEXT; times are Unix seconds and
-- 0 means "not yet" (used_at, spent_at, revoked_at).

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,                      -- lower-cased by the caller
  password_hash TEXT NOT NULL,              -- '' when no password was set
  api_key_hash TEXT NOT NULL,
  api_key_hint TEXT NOT NULL,
  callback_url TEXT,                        -- NULL when unset
  locale TEXT NOT NULL,
  is_locked INTEGER NOT NULL DEFAULT 0,
  email_confirmed INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX accounts_email ON accounts (email);
CREATE UNIQUE INDEX accounts_api_key_hash ON accounts (api_key_hash) WHERE api_key_hash <> '';

CREATE TABLE api_apps (
  client_id TEXT PRIMARY KEY,
  owner_account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  domains TEXT NOT NULL,                    -- JSON array of strings
  callback_url TEXT,                        -- NULL when unset
  has_oauth INTEGER NOT NULL DEFAULT 0,
  oauth_callback_url TEXT NOT NULL,
  scopes TEXT NOT NULL,                     -- JSON array of strings
  secret_hash TEXT NOT NULL,
  is_approved INTEGER NOT NULL DEFAULT 0,
  can_insert_everywhere INTEGER NOT NULL DEFAULT 0,
  white_labeling_json TEXT,                 -- JSON object text; NULL when unset
  created_at BIGINT NOT NULL
);
CREATE INDEX api_apps_owner_created ON api_apps (owner_account_id, created_at);

-- A user's authorization of an app. Kept (revoked) after the app is deleted.
CREATE TABLE oauth_grants (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  scopes TEXT NOT NULL,                     -- JSON array of strings
  created_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX oauth_grants_account ON oauth_grants (account_id, created_at);
CREATE INDEX oauth_grants_client ON oauth_grants (client_id);

CREATE TABLE oauth_codes (
  code_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  state TEXT NOT NULL,
  scopes TEXT NOT NULL,                     -- JSON array of strings
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0,
  grant_id TEXT NOT NULL DEFAULT ''         -- the grant the code issued, once redeemed
);

CREATE TABLE oauth_tokens (
  token_hash TEXT PRIMARY KEY,
  grant_id TEXT NOT NULL REFERENCES oauth_grants (id),
  kind INTEGER NOT NULL,                    -- 1 access, 2 refresh
  expires_at BIGINT NOT NULL,               -- 0 = never
  spent_at BIGINT NOT NULL DEFAULT 0        -- refresh tokens: when rotated away
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,                 -- '' for an anonymous session
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
