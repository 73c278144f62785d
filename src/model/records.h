// The domain model of accounts, API apps, OAuth grants and tokens, and sessions: plain records
// that the services, stores, pages and renderers share. No behaviour; the services own every
// rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace countersign {

struct Account {
  std::string id;              // 40 lowercase hex characters
  std::string email;           // lower-cased, unique
  std::string password_hash;   // argon2id string; empty when no password was set
  std::string api_key_hash;    // SHA-256 hex of the API key
  std::string api_key_hint;    // last 4 characters of the API key, for display
  std::string api_key_sealed;  // the API key sealed with the server SecretBox, for event_hash
  std::optional<std::string> callback_url;  // account-level event callback
  std::string locale = "en-US";
  bool is_locked = false;
  bool email_confirmed = false;
  bool is_admin = false;  // an operator (approves apps, finds and locks accounts)
  int64_t created_at = 0;
};

struct ApiApp {
  std::string client_id;  // 32 lowercase hex characters
  std::string owner_account_id;
  std::string name;
  std::vector<std::string> domains;
  std::optional<std::string> callback_url;  // app-level event callback
  bool has_oauth = false;                   // false: `oauth` renders as null
  std::string oauth_callback_url;
  std::vector<std::string> scopes;
  std::string secret_hash;  // SHA-256 hex of the client secret
  bool is_approved = false;
  bool can_insert_everywhere = false;
  std::string white_labeling_json;  // JSON object text, or empty for null
  int64_t created_at = 0;
  // POST /oauth/token?refresh must authenticate the client (docs/oauth-security.md). On for
  // apps created since it exists; off for older apps until their owner turns it on.
  bool refresh_requires_client_credentials = false;
  // /oauth/authorize must carry a PKCE S256 code_challenge.
  bool require_pkce = false;
};

// A user's authorization of an app: the scopes they accepted, until revoked.
struct Grant {
  std::string id;  // 32 hex
  std::string account_id;
  std::string client_id;
  std::vector<std::string> scopes;
  std::string redirect_uri;  // the OAuth callback URL the user approved with the scopes
  int64_t created_at = 0;
  int64_t revoked_at = 0;  // 0 while active
  // Waiting for the user's consent (an account created by an app, docs/account-creation.md):
  // its tokens neither authenticate nor refresh until it is activated.
  bool pending = false;
};

// An authorization code issued by the consent page. Stored by hash only.
struct AuthCode {
  std::string code_hash;
  std::string client_id;
  std::string account_id;
  std::string redirect_uri;  // the callback the code was delivered to
  std::string state;         // may be empty
  std::vector<std::string> scopes;
  std::string code_challenge;  // PKCE S256 challenge (RFC 7636); empty when none was sent
  int64_t expires_at = 0;
  int64_t used_at = 0;   // 0 until redeemed
  std::string grant_id;  // set when redeemed
};

enum class TokenKind { kAccess = 1, kRefresh = 2 };

// An access or refresh token, with the grant it belongs to.
struct TokenRecord {
  std::string token_hash;
  TokenKind kind = TokenKind::kAccess;
  int64_t expires_at = 0;  // 0 = never (refresh tokens live as long as their grant)
  int64_t spent_at = 0;    // refresh tokens: when rotated away; 0 while live
  Grant grant;
};

// A freshly minted pair, by hash, to be stored under one grant.
struct TokenPairHashes {
  std::string access_hash;
  int64_t access_expires_at = 0;
  std::string refresh_hash;
};

// A browser session. The cookie carries a random id; only its hash is stored.
struct Session {
  std::string id_hash;
  std::string account_id;  // empty for an anonymous (pre-login) session
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

}  // namespace countersign
