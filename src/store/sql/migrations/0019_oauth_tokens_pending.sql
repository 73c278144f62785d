-- Every index on oauth_tokens costs each refresh rotation a write to a page of its own for each
-- of the two tokens it inserts. The index by grant served one statement only: activating a
-- grant that waited for the user's consent moves its access token's expiry
-- (SqlOAuthStore::ActivatePendingGrants). So tokens now carry their grant's `pending` (set when
-- they are stored, cleared with the grant's at activation), and only pending ones are indexed by
-- grant: a rotation's tokens, never pending, skip that index.
ALTER TABLE oauth_tokens ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
UPDATE oauth_tokens SET pending = 1
  WHERE grant_id IN (SELECT id FROM oauth_grants WHERE pending = 1);
DROP INDEX oauth_tokens_grant;
CREATE INDEX oauth_tokens_pending_grant ON oauth_tokens (grant_id) WHERE pending = 1;
