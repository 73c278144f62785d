-- OAuth hardening (docs/oauth-security.md).
-- Apps: "refresh needs client credentials" (new apps are created with it on by AppService;
-- apps that exist before this migration keep refreshing with the refresh token alone, as the
-- Dropbox Sign walkthrough shows) and "require PKCE" (off unless the owner turns it on).
ALTER TABLE api_apps ADD COLUMN refresh_requires_client_credentials INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_apps ADD COLUMN require_pkce INTEGER NOT NULL DEFAULT 0;

-- The PKCE S256 code_challenge sent with the authorization request; '' when none was.
ALTER TABLE oauth_codes ADD COLUMN code_challenge TEXT NOT NULL DEFAULT '';

-- The OAuth callback URL the user approved together with the grant's scopes. Grants made
-- before this migration are taken to have approved the app's callback URL of today.
ALTER TABLE oauth_grants ADD COLUMN redirect_uri TEXT NOT NULL DEFAULT '';
UPDATE oauth_grants SET redirect_uri = COALESCE((SELECT a.oauth_callback_url FROM api_apps a
                                                 WHERE a.client_id = oauth_grants.client_id), '');
