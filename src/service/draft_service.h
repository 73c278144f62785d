// DraftService: sends that are prepared but not sent yet (issue 15, docs/unclaimed-drafts.md).
//
// Unclaimed drafts (POST /v3/unclaimed_draft/create, create_embedded,
// create_embedded_with_template, edit_and_resend) are answered with a claim_url:
//   - ordinary: `<base>/send/claim?token=…`. The first logged-in account that opens it claims
//     the draft (Claim) and is taken to the web app's prepare page, prefilled; a second opening
//     is a 404.
//   - embedded: `<base>/prep-and-send/embedded-request?token=…`, opened by hellosign-embedded
//     in the app's page (which appends client_id and parent_url, as for sign_urls). The first
//     opening spends the token, claims the draft for its creator and hands the page a secret
//     (OpenEmbedded) that its later requests carry (EmbeddedActor).
// The web app's own Send page also keeps an upload as a draft (CreateForWeb) while its sender
// places fields; that draft is claimed by its sender from the start.
//
// A draft keeps its parameters as the API takes them (Draft::body_json) and reads them back
// through a DraftBodyReader, so sending a draft is exactly the send (or send_with_template)
// that body describes, through SignatureRequestService::Send (TemplateService::Send), with the
// draft's documents and its reserved signature_request_id. Only the claimer sees a draft:
// anyone else gets kNotFound. Thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/public_url.h"
#include "core/status.h"
#include "model/draft_records.h"
#include "service/signature_request_service.h"
#include "service/template_service.h"

namespace countersign {

class DraftStore;

// Reads a draft's body with the API's own parsers (implemented in api/, which may parse
// requests; this layer may not). Errors as the send call with that body would give them.
class DraftBodyReader {
 public:
  virtual ~DraftBodyReader() = default;
  // signature_request/send's parameters; files come from the draft, not the body.
  virtual StatusOr<SendInput> ReadSend(const nlohmann::json& body) const = 0;
  // signature_request/send_with_template's parameters.
  virtual StatusOr<TemplateSendInput> ReadTemplateSend(const nlohmann::json& body) const = 0;
};

// POST /v3/unclaimed_draft/create*, parsed.
struct DraftInput {
  std::string type = "request_signature";  // or "send_document" (create only)
  // The call's parameters (RequestFields' object) without the file parts; read back with
  // DraftBodyReader. Signers may be missing: the claimer adds them.
  nlohmann::json body = nlohmann::json::object();
  std::vector<UploadedFile> files;  // files[]
  std::vector<std::string> file_urls;
  bool from_template = false;   // create_embedded_with_template: body is send_with_template's
  bool embedded = false;        // create_embedded*
  std::string client_id;        // required when embedded
  std::string requester_email;  // requester_email_address, required when embedded
  bool test_mode = false;
  std::string signing_redirect_url;
  std::string requesting_redirect_url;
};

// What /v3/unclaimed_draft/* answer (UnclaimedDraftResponse).
struct CreatedDraft {
  Draft draft;
  std::string claim_url;
};

// What the prepare page shows: the draft and its body read back.
struct DraftView {
  Draft draft;
  SendInput send;  // when !draft.from_template (files empty: they are draft.files)
  std::optional<TemplateSendInput> template_send;  // when draft.from_template
};

// The prepare page's form: replaces these parameters of the body.
struct DraftEdit {
  // The draft's signers (order set when ordered). For a template draft each has its `role`.
  std::vector<SignerInput> signers;
  std::vector<std::string> cc_emails;  // for a template draft: ccs by role in role_ccs instead
  std::vector<std::pair<std::string, std::string>> role_ccs;  // role -> email
  std::string title;
  std::string subject;
  std::string message;
  bool test_mode = false;
  std::optional<int64_t> expires_at;
  // form_fields_per_document as the API takes it (`signer` the signer's 0-based index);
  // nullopt keeps the body's.
  std::optional<nlohmann::json> form_fields;
};

// The opened embedded claim page: the draft and the secret its later requests carry.
struct EmbeddedDraftPage {
  Draft draft;
  std::string page_secret;
};

class DraftService {
 public:
  static constexpr int64_t kClaimUrlSeconds = 30 * 24 * 3600;  // unclaimed drafts
  static constexpr int64_t kEmbeddedClaimUrlSeconds = 3600;    // embedded claim_urls

  DraftService(DraftStore& store, SignatureRequestService& requests, TemplateService& templates,
               const DraftBodyReader& reader, BlobStore& blobs, AppStore& apps, const Clock& clock,
               const PublicUrl& public_url);

  // /v3/unclaimed_draft/create, create_embedded, create_embedded_with_template. Checks the
  // body as its send would be checked (signers may be missing), stores the documents, reserves
  // the request id. kInvalidArgument with the parameter path; CheckClient's errors; for
  // embedded drafts an unapproved app outside test mode is kPermissionDenied.
  StatusOr<CreatedDraft> Create(const RequestViewer& viewer, DraftInput input);

  // /v3/unclaimed_draft/edit_and_resend/{signature_request_id}: a new embedded draft with the
  // documents, signers and settings of a request the viewer sent with create_embedded
  // (kNotFound otherwise), `client_id` the request's app (kInvalidArgument path client_id).
  // A fresh signature_request_id is reserved.
  StatusOr<CreatedDraft> EditAndResend(const RequestViewer& viewer,
                                       const std::string& signature_request_id, DraftInput changes);

  // The web Send page: keeps the upload and form as a draft claimed by `viewer`.
  StatusOr<DraftView> CreateForWeb(const RequestViewer& viewer, std::vector<UploadedFile> files,
                                   const DraftEdit& edit);

  // Opens an ordinary claim_url: the first call claims the draft for `viewer`; any later
  // one, an unknown or expired token, or an embedded draft: kNotFound.
  StatusOr<Draft> Claim(const RequestViewer& viewer, const std::string& token);

  // Opens an embedded claim_url once (spends the token; kNotFound as Claim) after checking
  // the frame like EmbeddedSigning::CheckFrame: client_id must be the draft's app, parent_url's
  // origin on the app's domains (unless test mode and skip_domain_verification).
  StatusOr<EmbeddedDraftPage> OpenEmbedded(const std::string& token, const std::string& client_id,
                                           const std::string& parent_url,
                                           bool skip_domain_verification);
  // The viewer an opened embedded page acts as (the draft's creator), given its secret;
  // kNotFound for a wrong secret or a sent draft.
  StatusOr<RequestViewer> EmbeddedActor(const std::string& draft_id,
                                        const std::string& page_secret);
  // OpenEmbedded's frame check again, for each submission of an opened page (its parent_url
  // comes back from the page's own form, so it is checked as EmbeddedSigning::CheckFrame is on
  // each signing POST). kNotFound for an unknown draft; OpenEmbedded's frame errors.
  Status CheckEmbeddedFrame(const std::string& draft_id, const std::string& client_id,
                            const std::string& parent_url, bool skip_domain_verification);

  // The draft if `viewer` claimed it and it is not sent; kNotFound otherwise.
  StatusOr<DraftView> Get(const RequestViewer& viewer, const std::string& id);
  // Replaces the body's parameters named in DraftEdit. kInvalidArgument with the path.
  StatusOr<DraftView> Edit(const RequestViewer& viewer, const std::string& id,
                           const DraftEdit& edit);
  // Sends the draft as its body says, under its reserved signature_request_id, and marks it
  // sent in the same step (a second Send is kNotFound). Send's errors.
  StatusOr<SignatureRequest> Send(const RequestViewer& viewer, const std::string& id);

 private:
  // Whether `d`'s embedded page may be framed by `parent_url` for `client_id`: client_id must
  // be the draft's app, parent_url's origin on the app's domains (unless test mode and
  // skip_domain_verification).
  Status FrameAllowed(const Draft& d, const std::string& client_id, const std::string& parent_url,
                      bool skip_domain_verification);
  // The draft if `viewer` claimed it and it is not sent; kNotFound otherwise.
  StatusOr<Draft> Claimed(const RequestViewer& viewer, const std::string& id);
  // `d`'s body read back through the reader.
  StatusOr<DraftView> ViewOf(Draft d);
  // The checks a send with `body` would pass that do not need the signers or the documents'
  // bytes: Create's, Edit's and EditAndResend's. `pages` (of the draft's documents) is empty
  // before the documents are stored; field placement is then checked later.
  Status CheckBody(const RequestViewer& viewer, const Draft& d, const nlohmann::json& body,
                   size_t document_count, const std::vector<std::vector<PageBox>>& pages);
  // Reserves the ids, makes the claim token and stores `d`.
  StatusOr<CreatedDraft> Insert(Draft d);

  DraftStore& store_;
  SignatureRequestService& requests_;
  TemplateService& templates_;
  const DraftBodyReader& reader_;
  BlobStore& blobs_;
  AppStore& apps_;
  const Clock& clock_;
  const PublicUrl& public_url_;
};

}  // namespace countersign
