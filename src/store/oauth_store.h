// OAuthStore: codes, grants and tokens. Every "happens once" rule (a code is redeemed once, a
// refresh token rotates once) is enforced here atomically by the database, not by locks in the
// process, so it holds across several server instances. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/records.h"

namespace countersign {

// Result of trying to redeem a code.
struct CodeRedemption {
  AuthCode code;           // the code as it was before this call
  bool first_use = false;  // true exactly once per code, for the caller that marked it used
  // First use only: Ok when the grant the caller decided on was stored, else the caller's
  // refusal (the code is spent all the same).
  Status issued;
};

// A grant with its first token pair, minted but not stored yet (docs/account-creation.md: the
// account creation flow stores it in the same transaction as the account).
struct PendingGrant {
  Grant grant;
  TokenPairHashes tokens;
};

// A token joined with its grant and the grant's account (OAuthStore::FindTokenWithAccount).
struct TokenWithAccount {
  TokenRecord token;
  std::optional<Account> account;  // nullopt when the grant's account does not exist
};

// A token joined with its grant and the grant's app (OAuthStore::FindTokenWithApp).
struct TokenWithApp {
  TokenRecord token;
  std::optional<ApiApp> app;  // nullopt when the grant's app does not exist
};

// What OAuthStore::DeleteStale removes: rows that no request can use any more. Each time is an
// exclusive bound ("before"); 0 removes nothing of that kind.
struct OAuthStaleRows {
  // Access tokens of active (not pending) grants that expired before this. Answered like an
  // unknown token once expired ("Invalid or expired access token."), so removing them changes
  // no answer. Tokens that never expire (expires_at 0) stay.
  int64_t access_expired_before = 0;
  // Refresh tokens spent (rotated away) before this. Until then, presenting one again revokes
  // its grant (reuse detection, RFC 9700 §4.14.2); afterwards it is answered as unknown.
  int64_t spent_before = 0;
  // Every token of a grant revoked before this.
  int64_t revoked_before = 0;
  // Authorization codes, used or not, that expired before this (a late replay of a used one no
  // longer revokes its grant).
  int64_t codes_expired_before = 0;
  // Keys per write transaction: the tables are walked in key order this many rows at a time,
  // each range deleted in its own short transaction, so one pass never holds SQLite's write
  // lock for long however large the tables are (a range of 1,000 keys of which 800 went took
  // ~30 ms to delete on a 1M-row table; bench/RESULTS.md).
  int chunk_rows = 250;
};

// Decides, from a code being redeemed for the first time, the grant it issues, or refuses with
// the Status to answer. Must not touch the database (it runs inside the redeeming transaction)
// and may run more than once if that transaction is retried: the last result is the one stored.
using GrantForCode = std::function<StatusOr<PendingGrant>(const AuthCode&)>;

class OAuthStore {
 public:
  virtual ~OAuthStore() = default;

  virtual Status InsertCode(const AuthCode& code) = 0;

  // In one transaction, so that no replay can fall between spending a code and issuing its
  // grant: marks the code used at `now` if it was unused and, for that first use, stores the
  // grant `issue` returns (with both tokens, recorded as the code's grant_id); an empty `issue`
  // issues nothing. A code that was already used is returned with first_use=false, and the
  // grant it issued is revoked (RFC 6749 §4.1.2). kNotFound for an unknown hash.
  virtual StatusOr<CodeRedemption> RedeemCode(const std::string& code_hash, int64_t now,
                                              const GrantForCode& issue) = 0;

  // In one transaction: inserts `grant` and both tokens under it.
  virtual Status CreateGrant(const Grant& grant, const TokenPairHashes& tokens) = 0;

  // The token with this hash (either kind) joined with its grant. kNotFound when absent.
  virtual StatusOr<TokenRecord> FindToken(const std::string& token_hash) = 0;
  // FindToken and the grant's account, read together (one statement): what authenticating a
  // bearer token needs. kNotFound when the token is absent.
  virtual StatusOr<TokenWithAccount> FindTokenWithAccount(const std::string& token_hash) = 0;
  // FindToken and the grant's app, read together (one statement): what checking a refresh
  // needs. kNotFound when the token is absent.
  virtual StatusOr<TokenWithApp> FindTokenWithApp(const std::string& token_hash) = 0;

  // Atomically marks the live refresh token `old_refresh_hash` spent at `now` and stores the
  // new pair under the same grant. kConflict when the token was already spent (reuse) or its
  // grant is revoked; kNotFound when unknown. The grant must not be pending (the caller checks:
  // a pending grant's tokens do not refresh), as the new pair is stored as an active grant's.
  virtual Status RotateRefresh(const std::string& old_refresh_hash, int64_t now,
                               const TokenPairHashes& next) = 0;
  // RotateRefresh without blocking the caller where the database can (SQLite's group commit):
  // calls `done` exactly once with what RotateRefresh would return, once that is durable,
  // possibly on another thread and possibly before this returns. `done` must not throw. By
  // default RotateRefresh on the calling thread.
  virtual void RotateRefreshAsync(std::string old_refresh_hash, int64_t now, TokenPairHashes next,
                                  std::function<void(Status)> done) {
    done(RotateRefresh(old_refresh_hash, now, next));
  }

  // Revokes one grant (idempotent). kNotFound when unknown.
  virtual Status RevokeGrant(const std::string& grant_id, int64_t now) = 0;
  // Revokes every active grant `account_id` gave `client_id`; returns how many.
  virtual StatusOr<int> RevokeGrantsFor(const std::string& account_id, const std::string& client_id,
                                        int64_t now) = 0;
  // The account's active grants (not revoked, not pending), newest first.
  virtual StatusOr<std::vector<Grant>> ListActiveGrants(const std::string& account_id) = 0;

  // Pending grants (docs/account-creation.md). The account's pending, unrevoked grants, newest
  // first.
  virtual StatusOr<std::vector<Grant>> ListPendingGrants(const std::string& account_id) = 0;
  // In one transaction: activates every pending, unrevoked grant `account_id` gave `client_id`
  // and moves the expiry of their access tokens to `access_expires_at`; returns how many.
  virtual StatusOr<int> ActivatePendingGrants(const std::string& account_id,
                                              const std::string& client_id,
                                              int64_t access_expires_at) = 0;
  // Revokes every pending, unrevoked grant `account_id` gave `client_id`; returns how many.
  virtual StatusOr<int> RevokePendingGrants(const std::string& account_id,
                                            const std::string& client_id, int64_t now) = 0;

  // Removes the codes and tokens `stale` describes (grants stay); returns how many rows. Rows
  // added while it runs may be left for the next call. Safe to run on several instances at once.
  virtual StatusOr<int> DeleteStale(const OAuthStaleRows& stale) = 0;
};

}  // namespace countersign
