// SqliteSignatureRequestStore: SignatureRequestStore over the signature_requests,
// signature_request_files, signatures, request_listing and request_counts tables (migration
// 0003). Every method is one transaction; mail is queued in the same transaction.
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/signature_request_store.h"
#include "store/sqlite/sqlite_db.h"

namespace countersign {

class SqliteSignatureRequestStore : public SignatureRequestStore {
 public:
  explicit SqliteSignatureRequestStore(std::shared_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Status Create(const SignatureRequest& request, const std::vector<QueuedMail>& mails,
                const std::vector<EventRecord>& events) override;
  StatusOr<SignatureRequest> Get(const std::string& id) override;
  StatusOr<RequestPage> List(const RequestListFilter& filter) override;
  Status Cancel(const std::string& id, int64_t now, const EventRecord& event) override;
  StatusOr<bool> TryRemind(const std::string& signature_id, int64_t now, int64_t min_interval,
                           const std::string& access_hash, const QueuedMail& mail,
                           const EventRecord& event) override;
  Status UpdateSigner(const std::string& request_id, const std::string& old_signature_id,
                      const Signature& replacement, const std::vector<QueuedMail>& mails) override;
  Status SetExpiry(const std::string& request_id, int64_t expires_at) override;

 private:
  std::shared_ptr<SqliteDb> db_;
};

}  // namespace countersign
