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
#include "model/event_records.h"
#include "model/signature_request_records.h"
#include "store/mail_queue_store.h"

namespace countersign {

// A signer's PIN (access code) checks: wrong PINs in a row, until when the signer is locked
// out (0: not locked), and the SHA-256 of the pass given after the right PIN ("" when none).
struct PinState {
  int failures = 0;
  int64_t locked_until = 0;
  std::string pass_hash;
};

class SignatureRequestStore {
 public:
  virtual ~SignatureRequestStore() = default;

  // Stores the request, its files and signatures, makes it visible in the lists of its
  // requester (and of signers who have an account), queues `mails`, records `events` and
  // starts the audit trail with `sent`.
  virtual Status Create(const SignatureRequest& request, const std::vector<QueuedMail>& mails,
                        const std::vector<EventRecord>& events, const AuditEntry& sent) = 0;

  // kNotFound when absent.
  virtual StatusOr<SignatureRequest> Get(const std::string& id) = 0;

  // True when the request is in `account_id`'s list (as requester or as a signer who had an
  // account when the request reached them).
  virtual StatusOr<bool> IsListedFor(const std::string& account_id,
                                     const std::string& request_id) = 0;

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
  // signature_id, name, email and access hash) and queues `mails`. When the email changes,
  // the request leaves the list of the old signer's account (unless they are still a signer or
  // the requester) and enters the new signer's, if they have an account. kNotFound when the
  // signature does not belong to `request_id`.
  virtual Status UpdateSigner(const std::string& request_id, const std::string& old_signature_id,
                              const Signature& replacement,
                              const std::vector<QueuedMail>& mails) = 0;

  // Sets the request's expiry (0: never).
  virtual Status SetExpiry(const std::string& request_id, int64_t expires_at) = 0;

  // --- Signing (issue 6) ---

  // The id of the request holding `signature_id`. kNotFound when none.
  virtual StatusOr<std::string> FindRequestIdBySignature(const std::string& signature_id) = 0;

  // Sets the signer's last_viewed_at and appends `audit`; on the signer's first view also
  // records `first_view_event`.
  virtual Status RecordView(const std::string& request_id, const std::string& signature_id,
                            int64_t now, const AuditEntry& audit,
                            const EventRecord& first_view_event) = 0;

  // Marks `signer` (by signature_id, with its signature_kind/data, signer_ip/user_agent and
  // signed_at, and the field_values_json it filled) signed if it is awaiting signature with the
  // access hash it has; appends the `audit` entries in order, records `event` and schedules the
  // request's advance job. kConflict when the signer is no
  // longer awaiting signature (or the link was replaced), or the request expired (expired_at
  // set, or expires_at <= signed_at).
  virtual Status Sign(const std::string& request_id, const Signature& signer,
                      const std::vector<AuditEntry>& audit, const EventRecord& event) = 0;

  // Marks the signer declined with `reason` and the request declined, under the same
  // conditions as Sign (with audit.at as the time); appends `audit`, records `event`.
  virtual Status Decline(const std::string& request_id, const Signature& signer,
                         const std::string& reason, const AuditEntry& audit,
                         const EventRecord& event) = 0;

  virtual StatusOr<std::vector<AuditEntry>> Audit(const std::string& request_id) = 0;

  // --- Signer PIN checks; one row per signature, shared by every instance.
  // kNotFound for an unknown signature.
  virtual StatusOr<PinState> GetPinState(const std::string& signature_id) = 0;
  // Counts a wrong PIN, atomically: the count goes up by one; when it reaches `max_failures`
  // it starts again at 0 and the signer is locked until `now + lock_seconds`. Returns the new
  // state. kNotFound for an unknown signature.
  virtual StatusOr<PinState> RecordPinFailure(const std::string& signature_id, int64_t now,
                                              int max_failures, int64_t lock_seconds) = 0;
  // A right PIN: clears the count and stores `pass_hash` (replacing an earlier pass).
  virtual Status RecordPinSuccess(const std::string& signature_id,
                                  const std::string& pass_hash) = 0;

  // Replaces the link hash of `signature_id` (a newer link; earlier ones stop working).
  // kNotFound when there is no such signature.
  virtual Status SetAccessHash(const std::string& signature_id, const std::string& access_hash) = 0;

  // --- Embedded signing (issue 14) ---

  // Stores a sign_url for `signature_id`: the SHA-256 of its secret, usable until
  // `expires_at`. Forgets sign_urls that expired before `now` - one day.
  virtual Status AddSignUrl(const std::string& signature_id, const std::string& token_hash,
                            int64_t expires_at, int64_t now) = 0;

  // Uses the sign_url `token_hash` of `signature_id` if it is unused and not expired at `now`:
  // marks it used and, in the same transaction, sets the signer's link hash to `access_hash`
  // (the secret the opened page carries from then on). Returns false, changing nothing, when
  // there is no such usable sign_url; of two concurrent uses exactly one gets true.
  virtual StatusOr<bool> RedeemSignUrl(const std::string& signature_id,
                                       const std::string& token_hash, int64_t now,
                                       const std::string& access_hash) = 0;

  // --- The advance job: after each signature, mail whoever's turn it is, complete the
  // request when everyone signed, and make the final PDF. One row per request; claiming is
  // atomic, so one instance works on a request at a time.
  virtual StatusOr<std::vector<std::string>> ClaimJobs(int64_t now, int limit,
                                                       int64_t lease_seconds) = 0;
  virtual Status FinishJob(const std::string& request_id) = 0;
  virtual Status RetryJob(const std::string& request_id, int64_t due_at) = 0;

  // Stores the link hash of a signer who has not been mailed yet (access_hash empty) and
  // queues `mail`. Returns false (and queues nothing) when the signer was mailed already.
  virtual StatusOr<bool> NotifySigner(const std::string& request_id,
                                      const std::string& signature_id,
                                      const std::string& access_hash, const QueuedMail& mail) = 0;

  // Marks the request complete (final PDF pending) when every signer has signed and it was not
  // complete (nor canceled, declined or expired) yet; then appends `audit` and records `events`.
  // Returns whether it did.
  virtual StatusOr<bool> Complete(const std::string& request_id, int64_t now,
                                  const AuditEntry& audit,
                                  const std::vector<EventRecord>& events) = 0;

  // Records the outcome of making the final PDF: `state` kReady with its blob, or kFailed.
  // Records `events` and queues `mails` with it.
  virtual Status SetFinal(const std::string& request_id, FinalState state,
                          const std::string& final_sha256, const std::vector<EventRecord>& events,
                          const std::vector<QueuedMail>& mails) = 0;

  // --- Expiry (issue 17): a request whose expires_at has passed while signers were still to
  // sign is closed once, by whichever instance gets there first.

  // Up to `limit` ids of requests that Expire(id, now, ...) would expire: expires_at set and
  // <= `now`, not complete, declined, canceled or expired yet, with a signer awaiting
  // signature. Earliest expires_at first. A read: callers race on Expire, not here.
  virtual StatusOr<std::vector<std::string>> FindExpired(int64_t now, int limit) = 0;

  // Marks the request expired at `now` (expired_at), turns its signers still awaiting
  // signature to status "expired", appends `audit`, records `events` and queues `mails`, in
  // one transaction; only if it is still expirable at `now` (as FindExpired). Returns whether
  // it did: of several callers (threads or instances) exactly one gets true, and only its
  // events and mails are written.
  virtual StatusOr<bool> Expire(const std::string& request_id, int64_t now, const AuditEntry& audit,
                                const std::vector<EventRecord>& events,
                                const std::vector<QueuedMail>& mails) = 0;
};

}  // namespace countersign
