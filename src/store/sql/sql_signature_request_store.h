// SqlSignatureRequestStore: SignatureRequestStore over the signature_requests,
// signature_request_files, signatures, request_listing and request_counts tables (migration
// 0003). Every method is one transaction; mail is queued in the same transaction.
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/signature_request_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlSignatureRequestStore : public SignatureRequestStore {
 public:
  explicit SqlSignatureRequestStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  Status Create(const SignatureRequest& request, const std::vector<QueuedMail>& mails,
                const std::vector<EventRecord>& events, const AuditEntry& sent) override;
  StatusOr<SignatureRequest> Get(const std::string& id) override;
  StatusOr<bool> IsListedFor(const std::string& account_id, const std::string& request_id) override;
  StatusOr<RequestPage> List(const RequestListFilter& filter) override;
  Status Cancel(const std::string& id, int64_t now, const EventRecord& event) override;
  StatusOr<bool> TryRemind(const std::string& signature_id, int64_t now, int64_t min_interval,
                           const std::string& access_hash, const QueuedMail& mail,
                           const EventRecord& event) override;
  Status UpdateSigner(const std::string& request_id, const std::string& old_signature_id,
                      const Signature& replacement, const std::vector<QueuedMail>& mails) override;
  Status SetExpiry(const std::string& request_id, int64_t expires_at) override;

  // Signing and the advance job (sql_signature_request_signing.cc).
  StatusOr<std::string> FindRequestIdBySignature(const std::string& signature_id) override;
  Status RecordView(const std::string& request_id, const std::string& signature_id, int64_t now,
                    const AuditEntry& audit, const EventRecord& first_view_event) override;
  Status Sign(const std::string& request_id, const Signature& signer,
              const std::vector<AuditEntry>& audit, const EventRecord& event) override;
  Status Decline(const std::string& request_id, const Signature& signer, const std::string& reason,
                 const AuditEntry& audit, const EventRecord& event) override;
  StatusOr<std::vector<AuditEntry>> Audit(const std::string& request_id) override;
  StatusOr<PinState> GetPinState(const std::string& signature_id) override;
  StatusOr<PinState> RecordPinFailure(const std::string& signature_id, int64_t now,
                                      int max_failures, int64_t lock_seconds) override;
  Status RecordPinSuccess(const std::string& signature_id, const std::string& pass_hash) override;
  StatusOr<std::vector<std::string>> ClaimJobs(int64_t now, int limit,
                                               int64_t lease_seconds) override;
  Status FinishJob(const std::string& request_id) override;
  Status RetryJob(const std::string& request_id, int64_t due_at) override;
  StatusOr<bool> NotifySigner(const std::string& request_id, const std::string& signature_id,
                              const std::string& access_hash, const QueuedMail& mail) override;
  StatusOr<bool> Complete(const std::string& request_id, int64_t now, const AuditEntry& audit,
                          const std::vector<EventRecord>& events) override;
  Status SetFinal(const std::string& request_id, FinalState state, const std::string& final_sha256,
                  const std::vector<EventRecord>& events,
                  const std::vector<QueuedMail>& mails) override;

  // Link hashes and embedded sign_urls (sql_signature_request_embedded.cc).
  Status SetAccessHash(const std::string& signature_id, const std::string& access_hash) override;
  Status AddSignUrl(const std::string& signature_id, const std::string& token_hash,
                    int64_t expires_at, int64_t now) override;
  StatusOr<bool> RedeemSignUrl(const std::string& signature_id, const std::string& token_hash,
                               int64_t now, const std::string& access_hash) override;

  // Expiry (sql_signature_request_expiry.cc).
  StatusOr<std::vector<std::string>> FindExpired(int64_t now, int limit) override;
  StatusOr<bool> Expire(const std::string& request_id, int64_t now, const AuditEntry& audit,
                        const std::vector<EventRecord>& events,
                        const std::vector<QueuedMail>& mails) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
