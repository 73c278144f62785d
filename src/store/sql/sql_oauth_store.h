// SqlOAuthStore: OAuthStore over `oauth_codes`, `oauth_grants` and `oauth_tokens`.
// The "happens once" rules are conditional UPDATEs (`... WHERE used_at = 0`,
// `... WHERE spent_at = 0`) whose row count decides the winner (a racing second UPDATE is
// serialised behind the first, by SQLite's write lock or PostgreSQL's row lock, and then
// matches nothing), so they hold across threads, processes and server instances.
// Thread-safe (every call borrows its own pooled connection).
//
// Times passed as `now` are stored as at least 1: 0 means "not yet" in used_at, spent_at
// and revoked_at, so a clock at 0 must not make a mark invisible.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/oauth_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

// Inserts `grant` (pending or not) and both tokens of `tokens` under it on `connection`, inside
// the caller's write transaction (the account creation flow stores its pending grant together
// with the account), and records it as the grant of the code `code_hash` unless that is empty.
// One statement where the dialect WritesInCtes(). kConflict when the grant id or a token hash
// is taken.
Status InsertGrant(SqlConnection& connection, const Grant& grant, const TokenPairHashes& tokens,
                   const std::string& code_hash);

class SqlOAuthStore : public OAuthStore {
 public:
  explicit SqlOAuthStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  // kConflict when the hash is taken.
  Status InsertCode(const AuthCode& code) override;
  // kConflict (nothing written, the code stays unused) when the issued grant's id or a token
  // hash is taken.
  StatusOr<CodeRedemption> RedeemCode(const std::string& code_hash, int64_t now,
                                      const GrantForCode& issue) override;
  // kConflict when the grant id or a token hash is taken.
  Status CreateGrant(const Grant& grant, const TokenPairHashes& tokens) override;
  StatusOr<TokenRecord> FindToken(const std::string& token_hash) override;
  StatusOr<TokenWithAccount> FindTokenWithAccount(const std::string& token_hash) override;
  StatusOr<TokenWithApp> FindTokenWithApp(const std::string& token_hash) override;
  // kNotFound also when the hash names an access token.
  Status RotateRefresh(const std::string& old_refresh_hash, int64_t now,
                       const TokenPairHashes& next) override;
  // One WriteOneStatementAsync: SQLite's group commit (its committer thread calls `done`), or
  // on PostgreSQL one statement in one round trip.
  void RotateRefreshAsync(std::string old_refresh_hash, int64_t now, TokenPairHashes next,
                          std::function<void(Status)> done) override;
  Status RevokeGrant(const std::string& grant_id, int64_t now) override;
  StatusOr<int> RevokeGrantsFor(const std::string& account_id, const std::string& client_id,
                                int64_t now) override;
  // Ties on created_at are broken by id, descending (also for ListPendingGrants).
  StatusOr<std::vector<Grant>> ListActiveGrants(const std::string& account_id) override;
  StatusOr<std::vector<Grant>> ListPendingGrants(const std::string& account_id) override;
  StatusOr<int> ActivatePendingGrants(const std::string& account_id, const std::string& client_id,
                                      int64_t access_expires_at) override;
  StatusOr<int> RevokePendingGrants(const std::string& account_id, const std::string& client_id,
                                    int64_t now) override;
  // Two SweepKeyRanges passes: oauth_tokens, then oauth_codes.
  StatusOr<int> DeleteStale(const OAuthStaleRows& stale) override;

 private:
  // The body of RevokeGrant, inside the caller's write transaction.
  static Status RevokeGrantIn(SqlConnection& connection, const std::string& grant_id, int64_t now);
  // The body of RotateRefresh, inside the caller's write transaction or, where the dialect
  // WritesInCtes(), as one statement that may commit by itself. Idempotent: run again after
  // it committed, it finds its own new pair and succeeds.
  static Status Rotate(SqlConnection& connection, const std::string& old_refresh_hash, int64_t now,
                       const TokenPairHashes& next);
  // Revokes the account's live grants to the app (only the pending ones when `pending_only`);
  // the number revoked.
  StatusOr<int> RevokeWhere(const std::string& account_id, const std::string& client_id,
                            int64_t now, bool pending_only);

  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
