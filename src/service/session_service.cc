#include "service/session_service.h"

#include <string_view>

#include "core/crypto.h"
#include "core/ids.h"

namespace countersign {

namespace {

constexpr std::string_view kAnonymousPrefix = "anon-";

std::string CsrfFor(const std::string& cookie_value) { return HmacSha256Hex(cookie_value, "csrf"); }

bool IsHex64(std::string_view s) { return s.size() == 64 && IsLowerHex(s); }

// "anon-" + 64 lower-case hex digits, as Start makes them.
bool IsAnonymous(std::string_view cookie_value) {
  return cookie_value.substr(0, kAnonymousPrefix.size()) == kAnonymousPrefix &&
         IsHex64(cookie_value.substr(kAnonymousPrefix.size()));
}

}  // namespace

SessionService::SessionService(SessionStore& store, const Clock& clock, Options options)
    : store_(store), clock_(clock), options_(options) {}

StatusOr<BrowserSession> SessionService::Create(const std::string& account_id) {
  BrowserSession out;
  out.cookie_value = NewSecret();
  out.account_id = account_id;
  out.csrf_token = CsrfFor(out.cookie_value);
  Session s;
  s.id_hash = Sha256Hex(out.cookie_value);
  s.account_id = account_id;
  s.created_at = clock_.NowSeconds();
  s.expires_at = s.created_at + options_.ttl_seconds;
  CS_RETURN_IF_ERROR(store_.Create(s));
  return out;
}

StatusOr<BrowserSession> SessionService::Start() {
  BrowserSession out;
  out.cookie_value = std::string(kAnonymousPrefix) + NewSecret();
  out.csrf_token = CsrfFor(out.cookie_value);
  return out;
}

StatusOr<BrowserSession> SessionService::Resume(const std::string& cookie_value) {
  if (IsAnonymous(cookie_value)) {
    BrowserSession out;
    out.cookie_value = cookie_value;
    out.csrf_token = CsrfFor(cookie_value);
    return out;
  }
  if (!IsHex64(cookie_value)) return NotFound("No session.");
  CS_ASSIGN_OR_RETURN(Session s, store_.Find(Sha256Hex(cookie_value), clock_.NowSeconds()));
  BrowserSession out;
  out.cookie_value = cookie_value;
  out.account_id = s.account_id;
  out.csrf_token = CsrfFor(cookie_value);
  return out;
}

StatusOr<BrowserSession> SessionService::LogIn(const std::string& old_cookie_value,
                                               const std::string& account_id) {
  if (!old_cookie_value.empty()) CS_RETURN_IF_ERROR(LogOut(old_cookie_value));
  return Create(account_id);
}

Status SessionService::LogOut(const std::string& cookie_value) {
  if (IsAnonymous(cookie_value)) return Status::Ok();  // never stored
  return store_.Delete(Sha256Hex(cookie_value));
}

bool SessionService::CsrfMatches(const BrowserSession& session, const std::string& token) {
  return !token.empty() && ConstantTimeEquals(session.csrf_token, token);
}

}  // namespace countersign
