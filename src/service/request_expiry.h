// RequestExpiry: closes signature requests whose expires_at has passed while signers were
// still to sign (issue 17). For each, in one store transaction that only one caller across
// threads and instances can win (SignatureRequestStore::Expire): the unsigned signers' status
// becomes "expired" (as Dropbox Sign shows it), the request's audit trail says so, the
// signature_request_expired event goes to the account and app callbacks, and the sender is
// mailed. Signing links of an expired request show the expired page (SigningService::Open).
// Run as one more pass of the request advancer's worker (service/request_advancer.h).
// Thread-safe (holds no state of its own).
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/status.h"
#include "model/signature_request_records.h"
#include "store/mail_queue_store.h"
#include "store/signature_request_store.h"

namespace countersign {

class RequestExpiry {
 public:
  RequestExpiry(SignatureRequestStore& store, const Clock& clock);

  // Expires up to `limit` requests that are due at the clock's now, each behind GuardItem (a
  // request that fails is logged and left for the next pass). Returns how many this caller
  // expired (requests another instance expired first are not counted); an error only when the
  // due requests could not be listed.
  StatusOr<int> ExpireDue(int limit);

  // Expires the request `id` if it is due at the clock's now; returns whether this call did.
  StatusOr<bool> ExpireOne(const std::string& id);

 private:
  SignatureRequestStore& store_;
  const Clock& clock_;
};

// Whether `request` counts as expired at `now`: not complete, and closed by the expiry sweep
// or past its expires_at (signers may no longer sign even before the sweep got to it).
bool HasExpired(const SignatureRequest& request, int64_t now);

// The mail telling the sender that `request` expired at `now`: who signed, who did not.
QueuedMail ExpiredMail(const SignatureRequest& request, int64_t now);

}  // namespace countersign
