// SignatureRequestService: the rules for signature requests sent through the API — validation
// of what is sent (signers, files, metadata, expiry), storing documents, who may see which
// request, signing order, reminders, signer changes and cancellation (CONTRACT.md §6,
// docs/signature-requests.md). Mail is queued with each change in one transaction.
// Thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/public_url.h"
#include "core/status.h"
#include "files/blob_store.h"
#include "files/url_fetcher.h"
#include "model/custom_field.h"
#include "model/form_field.h"
#include "pdf/pdf_inspector.h"
#include "service/signer_mail.h"
#include "store/account_store.h"
#include "store/app_store.h"
#include "store/signature_request_store.h"

namespace countersign {

// Who is asking: an account, through its API key or through an app's token.
struct RequestViewer {
  std::string account_id;
  std::string email;
  std::string token_client_id;  // the app of the bearer token; empty for the API key
  std::string ip;               // for the audit trail
  std::string user_agent;
};

struct SignerInput {
  std::string name;
  std::string email;
  std::optional<int64_t> order;
  std::string pin;
  std::string role;  // the template role it fills (send_with_template); empty otherwise
  // A PIN hashed already (HashPin): a draft keeps its signers' PINs only so (SealSignerPins).
  // When set, it is the signer's PIN and `pin` is empty.
  std::string pin_hash = {};
};

struct UploadedFile {
  std::string name;
  std::string_view data;  // borrowed from the request body
};

struct SendInput {
  std::vector<UploadedFile> files;
  std::vector<std::string> file_urls;
  std::vector<SignerInput> signers;
  std::vector<std::string> cc_emails;
  std::optional<std::string> title;
  std::string subject;
  std::string message;
  nlohmann::json metadata = nlohmann::json::object();
  bool test_mode = false;
  bool allow_decline = false;
  bool allow_reassign = false;
  std::string signing_options_json;
  std::string field_options_json;
  std::string form_fields_json;                   // stored as sent
  std::vector<FormField> form_fields;             // the same, parsed (ParseFormFields)
  std::vector<CustomField> custom_fields;         // values of the merge fields (ParseCustomFields)
  std::vector<FormFieldGroup> form_field_groups;  // ParseFormFieldGroups
  std::vector<FormFieldRule> form_field_rules;    // ParseFormFieldRules
  bool use_text_tags = false;                     // the documents' text tags become fields too
  bool hide_text_tags = false;  // with use_text_tags: stored without the tags' text
  std::string signing_redirect_url;
  std::optional<int64_t> expires_at;
  std::string client_id;
  // create_embedded: signed in the app's page through sign_urls (client_id required); the
  // signers are not mailed.
  bool embedded = false;
  std::vector<std::string> template_ids;  // send_with_template: the templates, in order
  // Parameters the sender gave that are accepted but not acted on (e.g. "is_eid",
  // "signers[0].sms_phone_number"): answered with parameter_ignored warnings.
  std::vector<std::string> ignored_parameters;
  // The request's id when one was reserved beforehand (a draft's signature_request_id);
  // otherwise Send makes a new one. A reserved id that already names a request is kConflict.
  std::optional<std::string> id;
};

struct ListInput {
  int page = 1;
  int page_size = 20;
  std::string query;
  RequestBox box = RequestBox::kAll;  // the web app's folders
};

struct SignerChange {
  std::string signature_id;
  std::optional<std::string> email;
  std::optional<std::string> name;
  std::optional<int64_t> expires_at;  // 0 clears
};

class SignatureRequestService {
 public:
  struct Options {
    int64_t max_file_bytes = 40ll << 20;
    size_t max_files = 20;
    FetchOptions fetch;  // per URL
    // All file_urls of one send are fetched within this many seconds (below the HTTP layer's
    // 60 s request limit, so the sender always gets an answer).
    int64_t fetch_total_seconds = 50;
    int64_t remind_interval_seconds = 3600;
  };

  SignatureRequestService(SignatureRequestStore& store, AccountStore& accounts, AppStore& apps,
                          BlobStore& blobs, PdfInspector& pdf, UrlFetcher& fetcher,
                          const Clock& clock, const PublicUrl& public_url, Options options);

  // Validates, stores the documents and the request, and queues the first signers' mail (none
  // for an embedded request).
  // kInvalidArgument with the parameter path for anything wrong in `input`.
  StatusOr<SignatureRequest> Send(const RequestViewer& viewer, SendInput input);

  // The request if `viewer` may see it: kNotFound otherwise, kGone when canceled.
  StatusOr<SignatureRequest> Get(const RequestViewer& viewer, const std::string& id);
  // Like Get, canceled requests included (the web app's request page shows them).
  StatusOr<SignatureRequest> View(const RequestViewer& viewer, const std::string& id);

  StatusOr<RequestPage> List(const RequestViewer& viewer, const ListInput& input);

  // kGone when already canceled, kConflict when complete.
  Status Cancel(const RequestViewer& viewer, const std::string& id);

  // Reminds the signer with `email` (and `name`, when two signers share the email).
  // kInvalidArgument (path email_address) when no such signer is awaiting their turn;
  // kConflict when reminded less than an hour ago.
  StatusOr<SignatureRequest> Remind(const RequestViewer& viewer, const std::string& id,
                                    const std::string& email, const std::string& name);

  // Changes a signer's name or email, or the request's expiry. kConflict when the request is
  // complete or expired, or the signer has already signed or declined.
  StatusOr<SignatureRequest> Update(const RequestViewer& viewer, const std::string& id,
                                    const SignerChange& change);

  // The request's audit trail, oldest first, if `viewer` may see the request (View's errors).
  StatusOr<std::vector<AuditEntry>> AuditTrail(const RequestViewer& viewer, const std::string& id);

  // The request by id without a viewer, for callers that authorized the access another way
  // (a signed download link). kNotFound, or kGone when canceled.
  StatusOr<SignatureRequest> GetById(const std::string& id);

  // The service clock's time (pages show states that depend on it, e.g. expired).
  int64_t Now() const { return clock_.NowSeconds(); }

  // Paths of the request's documents in order (for downloads).
  StatusOr<std::vector<std::string>> DocumentPaths(const SignatureRequest& request);

  // The documents of a send (also of a template, service/template_service.h): exactly one of
  // `file_count` uploads and `url_count` file_urls, at most Options::max_files.
  Status CheckDocumentSources(size_t file_count, size_t url_count) const;
  // What a caller checks on the documents' page boxes before anything is written (e.g.
  // CheckFieldPlacement); its error is StoreDocuments' error.
  using DocumentCheck = std::function<Status(const std::vector<std::vector<PageBox>>& pages)>;
  // Inspects each upload in memory and fetches and inspects each URL (into temp files), appends
  // each document's page boxes to `pages`, runs `check` (when given), and only then writes the
  // documents into the BlobStore (each hashed while written, fsync'd once): a document that
  // fails, or a failed `check`, leaves no blob and no temp file behind.
  // Each returned file carries its pages' sizes (RequestFile::page_sizes).
  // kInvalidArgument with path files[i] / file_urls[i].
  StatusOr<std::vector<RequestFile>> StoreDocuments(const std::vector<UploadedFile>& files,
                                                    const std::vector<std::string>& file_urls,
                                                    std::vector<std::vector<PageBox>>& pages,
                                                    const DocumentCheck& check = {});
  // `client_id`, when given, is the app of the viewer's token, or (with the API key) an app of
  // the viewer's. kInvalidArgument (path client_id) otherwise.
  Status CheckClient(const RequestViewer& viewer, const std::string& client_id);
  // What create_embedded adds when `in.embedded`: a client_id, no PINs (the embedded page keeps
  // no cookie), and an approved app unless in test mode (kPermissionDenied). Also the rule for
  // embedded drafts (service/draft_service.h).
  Status CheckEmbedded(const SendInput& in);

 private:
  // Each checks one document and appends its page sizes to `pages`; nothing is stored yet.
  StatusOr<RequestFile> InspectUpload(const UploadedFile& file, size_t index,
                                      std::vector<std::vector<PageBox>>& pages);
  // Leaves the fetched document at `temp_path` (the caller removes it).
  StatusOr<RequestFile> FetchUrl(const std::string& url, size_t index, int64_t deadline,
                                 const std::string& temp_path,
                                 std::vector<std::vector<PageBox>>& pages);

  SignatureRequestStore& store_;
  AccountStore& accounts_;
  AppStore& apps_;
  BlobStore& blobs_;
  PdfInspector& pdf_;
  UrlFetcher& fetcher_;
  const Clock& clock_;
  const PublicUrl& public_url_;
  Options options_;
};

// The page boxes of stored documents, as CheckFieldPlacement takes them (US Letter for a page
// whose size was not recorded).
std::vector<std::vector<PageBox>> PageBoxesOf(const std::vector<RequestFile>& files);

}  // namespace countersign
