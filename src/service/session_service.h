// SessionService: browser sessions and CSRF tokens. The cookie carries a random 256-bit id;
// the store keeps only its SHA-256. The CSRF token is HMAC(session id, "csrf"): bound to the
// session, never stored, checked in constant time.
// Anonymous sessions (someone reading the log-in or sign-up page) are not stored at all: their
// cookie is "anon-" + a random 256-bit id, which only carries the CSRF token (a double-submit
// cookie: another site can neither read it nor set it, SameSite=Lax and HttpOnly), so pages
// anyone can load cost no database row. Only logging in creates a session row. Thread-safe.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "store/session_store.h"

namespace countersign {

struct BrowserSession {
  std::string cookie_value;  // the plaintext id to put in the cookie
  std::string account_id;    // empty when not logged in
  std::string csrf_token;
};

class SessionService {
 public:
  struct Options {
    int64_t ttl_seconds = 7 * 24 * 3600;
  };

  SessionService(SessionStore& store, const Clock& clock, Options options);

  // A new anonymous session (nothing is stored).
  StatusOr<BrowserSession> Start();
  // The session for this cookie value: an anonymous one for a well-formed anonymous cookie,
  // else the live stored session; kNotFound when malformed, unknown or expired.
  StatusOr<BrowserSession> Resume(const std::string& cookie_value);
  // Ends `old_cookie_value` (if any) and starts a fresh session for `account_id`
  // (a new id on every log-in, against session fixation).
  StatusOr<BrowserSession> LogIn(const std::string& old_cookie_value,
                                 const std::string& account_id);
  Status LogOut(const std::string& cookie_value);
  // True when `token` is the CSRF token of `session`.
  static bool CsrfMatches(const BrowserSession& session, const std::string& token);

 private:
  StatusOr<BrowserSession> Create(const std::string& account_id);

  SessionStore& store_;
  const Clock& clock_;
  Options options_;
};

}  // namespace countersign
