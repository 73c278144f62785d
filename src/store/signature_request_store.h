// SignatureRequestStore: persistence of signature requests with their files and signatures.
// Each method is one transaction; the mail and events that a change causes are written in the
// same transaction, so a request is never stored without its mail and events nor the reverse.
// Once-only rules (a reminder per hour, cancel once) are enforced by the database.
// Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/event_records.h"
#include "store/mail_queue_store.h"
#include "store/signature_request_records.h"

namespace countersign {

class SignatureRequestStore {
 public:
  virtual ~SignatureRequestStore() = default;

  // Stores the request, its files and signatures, makes it visible in the lists of its
  // requester (and of signers who have an account), queues `mails` and records `events`.
  virtual Status Create(const SignatureRequest& request, const std::vector<QueuedMail>& mails,
                        const std::vector<EventRecord>& events) = 0;

  // kNotFound when absent.
  virtual StatusOr<SignatureRequest> Get(const std::string& id) = 0;

  // Newest first; canceled requests are not listed. `total` counts every match.
  virtual StatusOr<RequestPage> List(const RequestListFilter& filter) = 0;

  // Marks the request canceled at `now` if it is neither canceled nor complete, and records
  // `event`. kConflict otherwise (the caller checks why before calling).
  virtual Status Cancel(const std::string& id, int64_t now, const EventRecord& event) = 0;

  // Records a reminder of `signature_id` at `now`, replaces the signer's link hash with
  // `access_hash` and queues `mail`, unless a reminder was recorded after
  // `now - min_interval`. Returns false (and changes nothing) in that case. Records `event`.
  virtual StatusOr<bool> TryRemind(const std::string& signature_id, int64_t now,
                                   int64_t min_interval, const std::string& access_hash,
                                   const QueuedMail& mail, const EventRecord& event) = 0;

  // Replaces the signature `old_signature_id` with `replacement` (which may carry a new
  // signature_id, name, email and access hash), sets the request's expiry when given, and
  // queues `mails`. kNotFound when the signature does not belong to `request_id`.
  virtual Status UpdateSigner(const std::string& request_id, const std::string& old_signature_id,
                              const Signature& replacement,
                              const std::vector<QueuedMail>& mails) = 0;

  // Sets the request's expiry (0: never).
  virtual Status SetExpiry(const std::string& request_id, int64_t expires_at) = 0;
};

}  // namespace countersign
