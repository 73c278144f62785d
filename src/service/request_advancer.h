// RequestAdvancer: the background work after each signature, run from the durable job the
// signing transaction scheduled (so it survives a restart): mail the signers whose turn has
// come, mark the request complete when everyone signed (signature_request_all_signed), make
// and seal the final PDF (DocumentFinalizer) off the request path, then record
// signature_request_downloadable and email the completed document's link to the sender, the
// signers and the CC addresses. Claims are atomic, so one instance works on a request at a
// time; every step is idempotent, so a crash midway is repaired by the next run. Each pass
// also expires the requests whose expires_at has passed (service/request_expiry.h): the same
// kind of "move a request to its next state" work, on the same store and thread. Thread-safe;
// owns its thread.
#pragma once

#include <chrono>

#include "core/background_task.h"
#include "core/clock.h"
#include "core/public_url.h"
#include "files/blob_store.h"
#include "pdf/document_finalizer.h"
#include "service/file_url_signer.h"
#include "service/request_expiry.h"
#include "store/signature_request_store.h"

namespace countersign {

struct RequestAdvancerOptions {
  std::chrono::milliseconds poll_interval{500};
  int64_t retry_seconds = 60;
  int64_t download_link_ttl_seconds = 30 * 24 * 3600;
  int expire_batch = 20;  // requests expired per pass at most
};

class RequestAdvancer final : public BackgroundTask {
 public:
  RequestAdvancer(SignatureRequestStore& store, BlobStore& blobs, DocumentFinalizer& finalizer,
                  const FileUrlSigner& url_signer, const Clock& clock, const PublicUrl& public_url,
                  RequestAdvancerOptions options);
  ~RequestAdvancer() override;  // Stop()

  // Expiry, then advance jobs; returns how many requests it expired or worked on.
  int RunOnce() override;
  // Moves one request along as far as it can go now.
  Status Advance(const std::string& request_id);

 private:
  Status NotifyWhoseTurn(SignatureRequest& r, int64_t now);
  Status Finalize(const SignatureRequest& r, int64_t now);

  SignatureRequestStore& store_;
  BlobStore& blobs_;
  DocumentFinalizer& finalizer_;
  const FileUrlSigner& url_signer_;
  const Clock& clock_;
  const PublicUrl& public_url_;
  RequestAdvancerOptions options_;
  RequestExpiry expiry_;
};

// The FinalizeInput for a completed request: its documents (`paths` in order), its signers'
// signatures (placed where form_fields_per_document puts a signature field for them), and its
// audit trail.
StatusOr<FinalizeInput> BuildFinalizeInput(const SignatureRequest& r,
                                           const std::vector<std::string>& paths,
                                           const std::vector<AuditEntry>& audit, int64_t now);

}  // namespace countersign
