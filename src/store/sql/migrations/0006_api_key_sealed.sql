-- The API key, sealed with the server's key file (core/secret_box.h), so the server can sign
-- event callbacks with it (event_hash = HMAC(API key, ...)). '' for keys made before this.
ALTER TABLE accounts ADD COLUMN api_key_sealed TEXT NOT NULL DEFAULT '';
