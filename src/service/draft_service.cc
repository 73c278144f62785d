#include "service/draft_service.h"

#include <deque>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/json_dump.h"
#include "service/draft_body.h"
#include "service/embedded_frame.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/send_validation.h"
#include "service/validation.h"
#include "store/draft_store.h"

namespace countersign {

using nlohmann::json;

namespace {

constexpr char kNoDraft[] = "Draft not found.";
constexpr char kSpent[] = "This link was already used or has expired.";
// Form fields of a draft without signers may name any signer the claimer adds later; they are
// checked against the real signers when the draft is sent.
constexpr size_t kSignersNotGivenYet = 1000;

// Whether the draft's request is signed through sign_urls (is_for_embedded_signing, stored by
// the handler as a JSON boolean).
bool ForEmbeddedSigning(const json& body) {
  auto it = body.find("is_for_embedded_signing");
  return it != body.end() && it->is_boolean() && it->get<bool>();
}

// Who the claimer `viewer` acts as on draft `d` (checks, send). The request carries the draft's
// app (its callbacks and branding) whoever claimed it. Its creator acts as it created the draft
// (its token's app, or its API key: it may use the same templates); another claimer acts
// through the draft's app, which the creator proved at creation that it may use.
RequestViewer ActingOn(const Draft& d, const RequestViewer& viewer) {
  RequestViewer acting = viewer;
  acting.token_client_id = d.claimed_by == d.account_id ? d.created_by_client_id : d.client_id;
  return acting;
}

}  // namespace

DraftService::DraftService(DraftStore& store, SignatureRequestService& requests,
                           TemplateService& templates, const DraftBodyReader& reader,
                           BlobStore& blobs, AppStore& apps, const Clock& clock,
                           const PublicUrl& public_url)
    : store_(store),
      requests_(requests),
      templates_(templates),
      reader_(reader),
      blobs_(blobs),
      apps_(apps),
      clock_(clock),
      public_url_(public_url) {}

Status DraftService::CheckBody(const RequestViewer& viewer, const Draft& d, const json& body,
                               size_t document_count,
                               const std::vector<std::vector<PageBox>>& pages) {
  const int64_t now = clock_.NowSeconds();
  SendInput send;
  if (d.from_template) {
    CS_ASSIGN_OR_RETURN(TemplateSendInput t, reader_.ReadTemplateSend(body));
    CS_RETURN_IF_ERROR(templates_.CheckDraftRoles(viewer, t));
    for (const auto& s : t.signers) send.signers.push_back(s.signer);
    t.send.signers = std::move(send.signers);
    send = std::move(t.send);
  } else {
    CS_ASSIGN_OR_RETURN(send, reader_.ReadSend(body));
  }
  if (!send.signers.empty()) CS_RETURN_IF_ERROR(ValidateSigners(send.signers));
  CS_RETURN_IF_ERROR(ValidateCcEmails(send.cc_emails));
  CS_RETURN_IF_ERROR(ValidateMetadata(send.metadata));
  CS_RETURN_IF_ERROR(ValidateTexts(send, now));
  if (!d.requesting_redirect_url.empty() && !IsValidHttpUrl(d.requesting_redirect_url)) {
    return InvalidArgument("requesting_redirect_url must be an http or https URL",
                           "requesting_redirect_url");
  }
  CS_RETURN_IF_ERROR(requests_.CheckClient(viewer, d.client_id));
  if (d.embedded) {
    send.embedded = true;
    send.client_id = d.client_id;
    send.test_mode = d.test_mode;
    CS_RETURN_IF_ERROR(requests_.CheckEmbedded(send));
  }
  if (d.from_template) return Status::Ok();  // fields are the templates', placed at send
  const size_t signers = send.signers.empty() ? kSignersNotGivenYet : send.signers.size();
  CS_RETURN_IF_ERROR(CheckFieldTargets(send.form_fields, signers, document_count));
  CS_RETURN_IF_ERROR(CheckFieldGroups(send.form_fields, send.form_field_groups));
  CS_RETURN_IF_ERROR(
      CheckFieldRules(send.form_fields, send.form_field_groups, send.form_field_rules));
  if (!pages.empty()) CS_RETURN_IF_ERROR(CheckFieldPlacement(send.form_fields, pages));
  return Status::Ok();
}

StatusOr<CreatedDraft> DraftService::Insert(Draft d) {
  const int64_t now = clock_.NowSeconds();
  d.id = NewAccountId();
  d.signature_request_id = NewAccountId();
  d.created_at = now;
  d.expires_at = now + (d.embedded ? kEmbeddedClaimUrlSeconds : kClaimUrlSeconds);
  CreatedDraft created;
  if (d.claimed_by.empty()) {  // claimed through its claim_url
    const std::string token = RandomHex(32);
    d.claim_token_hash = Sha256Hex(token);
    created.claim_url = public_url_.Get() +
                        (d.embedded ? "/prep-and-send/embedded-request" : "/send/claim") +
                        "?token=" + token;
  }
  CS_RETURN_IF_ERROR(store_.Insert(d));
  created.draft = std::move(d);
  return created;
}

StatusOr<CreatedDraft> DraftService::Create(const RequestViewer& viewer, DraftInput in) {
  if (in.type != "request_signature" && in.type != "send_document") {
    return InvalidArgument("type must be send_document or request_signature", "type");
  }
  if (in.embedded) {
    if (in.client_id.empty()) return InvalidArgument("client_id is required", "client_id");
    if (in.requester_email.empty()) {
      return InvalidArgument("requester_email_address is required", "requester_email_address");
    }
    if (!IsValidEmail(in.requester_email)) {
      return InvalidArgument("requester_email_address must be an email address",
                             "requester_email_address");
    }
  }
  json body = std::move(in.body);
  for (const char* key : {"files", "file", "file_urls"}) body.erase(key);
  DropSealedPins(body);
  if (in.type == "send_document" && body.contains("signers")) {
    // Dropbox Sign: a send_document draft is a file to claim; the claimer chooses who signs.
    return InvalidArgument(
        "signers cannot be given for an unclaimed draft of type "
        "send_document",
        "signers");
  }
  Draft d;
  d.account_id = viewer.account_id;
  d.created_by_client_id = viewer.token_client_id;
  d.client_id = in.client_id;
  d.type = in.type;
  d.embedded = in.embedded;
  d.requester_email = ToLower(in.requester_email);
  d.from_template = in.from_template;
  d.test_mode = in.test_mode;
  d.signing_redirect_url = in.signing_redirect_url;
  d.requesting_redirect_url = in.requesting_redirect_url;
  if (!in.from_template || !in.files.empty() || !in.file_urls.empty()) {
    CS_RETURN_IF_ERROR(requests_.CheckDocumentSources(in.files.size(), in.file_urls.size()));
  }
  const size_t documents = in.files.size() + in.file_urls.size();
  CS_RETURN_IF_ERROR(CheckBody(viewer, d, body, documents, {}));
  std::vector<std::vector<PageBox>> pages;
  CS_ASSIGN_OR_RETURN(d.files, requests_.StoreDocuments(in.files, in.file_urls, pages));
  if (!in.from_template) CS_RETURN_IF_ERROR(CheckBody(viewer, d, body, documents, pages));
  CS_RETURN_IF_ERROR(SealSignerPins(body));
  d.body_json = DumpJson(body);
  return Insert(std::move(d));
}

StatusOr<CreatedDraft> DraftService::EditAndResend(const RequestViewer& viewer,
                                                   const std::string& signature_request_id,
                                                   DraftInput changes) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, requests_.Get(viewer, signature_request_id));
  if (!r.embedded || r.account_id != viewer.account_id) {
    return NotFound("Signature request not found.");
  }
  if (changes.client_id.empty()) return InvalidArgument("client_id is required", "client_id");
  if (changes.client_id != r.client_id) {
    return InvalidArgument("client_id is not the app this signature request belongs to",
                           "client_id");
  }
  if (!changes.requester_email.empty() && !IsValidEmail(changes.requester_email)) {
    return InvalidArgument("requester_email_address must be an email address",
                           "requester_email_address");
  }
  json body = DraftBodyOfRequest(r);
  const bool test_mode = changes.body.contains("test_mode") ? changes.test_mode : r.test_mode;
  body["test_mode"] = test_mode;
  body["is_for_embedded_signing"] =
      changes.body.contains("is_for_embedded_signing") ? ForEmbeddedSigning(changes.body) : true;
  Draft d;
  d.account_id = viewer.account_id;
  d.created_by_client_id = viewer.token_client_id;
  d.client_id = r.client_id;
  d.type = "request_signature";
  d.embedded = true;
  d.requester_email =
      ToLower(changes.requester_email.empty() ? r.requester_email : changes.requester_email);
  d.test_mode = test_mode;
  d.signing_redirect_url =
      changes.signing_redirect_url.empty() ? r.signing_redirect_url : changes.signing_redirect_url;
  if (!d.signing_redirect_url.empty()) body["signing_redirect_url"] = d.signing_redirect_url;
  d.requesting_redirect_url = changes.requesting_redirect_url;
  d.files = r.files;
  CS_RETURN_IF_ERROR(CheckBody(viewer, d, body, d.files.size(), PageBoxesOf(d.files)));
  d.body_json = DumpJson(body);
  return Insert(std::move(d));
}

StatusOr<DraftView> DraftService::CreateForWeb(const RequestViewer& viewer,
                                               std::vector<UploadedFile> files,
                                               const DraftEdit& edit) {
  CS_RETURN_IF_ERROR(requests_.CheckDocumentSources(files.size(), 0));
  json body = json::object();
  ApplyDraftEdit(body, edit, /*from_template=*/false);
  Draft d;
  d.account_id = viewer.account_id;
  d.claimed_by = viewer.account_id;
  d.type = "request_signature";
  d.test_mode = edit.test_mode;
  CS_RETURN_IF_ERROR(CheckBody(viewer, d, body, files.size(), {}));
  std::vector<std::vector<PageBox>> pages;
  CS_ASSIGN_OR_RETURN(d.files, requests_.StoreDocuments(files, {}, pages));
  CS_RETURN_IF_ERROR(CheckBody(viewer, d, body, files.size(), pages));
  d.body_json = DumpJson(body);
  CS_ASSIGN_OR_RETURN(CreatedDraft created, Insert(std::move(d)));
  return ViewOf(std::move(created.draft));
}

StatusOr<Draft> DraftService::Claim(const RequestViewer& viewer, const std::string& token) {
  if (token.empty()) return NotFound(kSpent);
  const std::string hash = Sha256Hex(token);
  auto d = store_.FindByClaimHash(hash);
  if (!d.ok()) return d.status().code() == Code::kNotFound ? NotFound(kSpent) : d.status();
  if (d->embedded) return NotFound(kSpent);
  CS_ASSIGN_OR_RETURN(bool won, store_.Claim(hash, viewer.account_id, clock_.NowSeconds()));
  if (!won) return NotFound(kSpent);
  d->claimed_by = viewer.account_id;
  return d;
}

StatusOr<EmbeddedDraftPage> DraftService::OpenEmbedded(const std::string& token,
                                                       const std::string& client_id,
                                                       const std::string& parent_url,
                                                       bool skip_domain_verification) {
  if (token.empty()) return NotFound(kSpent);
  auto d = store_.FindByClaimHash(Sha256Hex(token));
  if (!d.ok()) return d.status().code() == Code::kNotFound ? NotFound(kSpent) : d.status();
  const int64_t now = clock_.NowSeconds();
  if (!d->embedded || !d->claimed_by.empty() || d->sent_at || d->expires_at <= now) {
    return NotFound(kSpent);
  }
  CS_RETURN_IF_ERROR(FrameAllowed(*d, client_id, parent_url, skip_domain_verification));
  EmbeddedDraftPage page;
  page.page_secret = RandomHex(16);
  const std::string secret_hash = Sha256Hex(page.page_secret);
  CS_ASSIGN_OR_RETURN(bool won, store_.SetPageSecret(d->id, secret_hash, now));
  if (!won) return NotFound(kSpent);
  d->claimed_by = d->account_id;
  d->page_secret_hash = secret_hash;
  page.draft = std::move(d).value();
  return page;
}

StatusOr<RequestViewer> DraftService::EmbeddedActor(const std::string& draft_id,
                                                    const std::string& page_secret) {
  auto d = store_.Get(draft_id);
  if (!d.ok()) return d.status().code() == Code::kNotFound ? NotFound(kNoDraft) : d.status();
  if (d->sent_at || d->page_secret_hash.empty() || page_secret.empty() ||
      !ConstantTimeEquals(Sha256Hex(page_secret), d->page_secret_hash)) {
    return NotFound(kNoDraft);
  }
  RequestViewer actor;
  actor.account_id = d->account_id;
  actor.email = d->requester_email;
  actor.token_client_id = d->created_by_client_id;  // as it created the draft
  return actor;
}

Status DraftService::CheckEmbeddedFrame(const std::string& draft_id, const std::string& client_id,
                                        const std::string& parent_url,
                                        bool skip_domain_verification) {
  auto d = store_.Get(draft_id);
  if (!d.ok()) return d.status().code() == Code::kNotFound ? NotFound(kNoDraft) : d.status();
  return FrameAllowed(*d, client_id, parent_url, skip_domain_verification);
}

Status DraftService::FrameAllowed(const Draft& d, const std::string& client_id,
                                  const std::string& parent_url, bool skip_domain_verification) {
  if (client_id != d.client_id) {
    return InvalidArgument("client_id is not the app this draft belongs to", "client_id");
  }
  CS_ASSIGN_OR_RETURN(ApiApp app, apps_.FindByClientId(d.client_id));
  return AllowedParentOrigin(parent_url, app.domains, d.test_mode, skip_domain_verification)
      .status();
}

StatusOr<Draft> DraftService::Claimed(const RequestViewer& viewer, const std::string& id) {
  auto d = store_.Get(id);
  if (!d.ok()) return d.status().code() == Code::kNotFound ? NotFound(kNoDraft) : d.status();
  if (viewer.account_id.empty() || d->claimed_by != viewer.account_id || d->sent_at) {
    return NotFound(kNoDraft);
  }
  return d;
}

StatusOr<DraftView> DraftService::ViewOf(Draft d) {
  DraftView view;
  const json body = json::parse(d.body_json, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Internal("stored draft body is not a JSON object");
  if (d.from_template) {
    CS_ASSIGN_OR_RETURN(view.template_send, reader_.ReadTemplateSend(body));
  } else {
    CS_ASSIGN_OR_RETURN(view.send, reader_.ReadSend(body));
  }
  view.draft = std::move(d);
  return view;
}

StatusOr<DraftView> DraftService::Get(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(Draft d, Claimed(viewer, id));
  return ViewOf(std::move(d));
}

StatusOr<DraftView> DraftService::Edit(const RequestViewer& viewer, const std::string& id,
                                       const DraftEdit& edit) {
  CS_ASSIGN_OR_RETURN(Draft d, Claimed(viewer, id));
  json body = json::parse(d.body_json, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Internal("stored draft body is not a JSON object");
  ApplyDraftEdit(body, edit, d.from_template);
  d.test_mode = edit.test_mode;
  CS_RETURN_IF_ERROR(CheckBody(ActingOn(d, viewer), d, body, d.files.size(), PageBoxesOf(d.files)));
  CS_RETURN_IF_ERROR(SealSignerPins(body));
  d.body_json = DumpJson(body);
  CS_RETURN_IF_ERROR(store_.UpdateBody(d.id, d.body_json, d.test_mode));
  return ViewOf(std::move(d));
}

StatusOr<SignatureRequest> DraftService::Send(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(Draft d, Claimed(viewer, id));
  const json body = json::parse(d.body_json, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Internal("stored draft body is not a JSON object");
  std::deque<std::string> bytes;  // the documents' bytes, borrowed by the UploadedFiles
  std::vector<UploadedFile> files;
  for (const RequestFile& f : d.files) {
    CS_ASSIGN_OR_RETURN(std::string data, blobs_.Read(f.sha256));
    bytes.push_back(std::move(data));
    files.push_back({f.name, bytes.back()});
  }
  const RequestViewer sender = ActingOn(d, viewer);
  auto prepare = [&](SendInput& s) {
    s.files.insert(s.files.end(), files.begin(), files.end());
    s.file_urls.clear();
    s.id = d.signature_request_id;
    s.test_mode = d.test_mode;
    s.client_id = d.client_id;
    s.embedded = d.embedded && ForEmbeddedSigning(body);
  };
  StatusOr<SignatureRequest> sent = Status(Code::kInternal, "not sent");
  if (d.from_template) {
    CS_ASSIGN_OR_RETURN(TemplateSendInput t, reader_.ReadTemplateSend(body));
    prepare(t.send);
    sent = templates_.Send(sender, std::move(t));
  } else {
    CS_ASSIGN_OR_RETURN(SendInput s, reader_.ReadSend(body));
    prepare(s);
    sent = requests_.Send(sender, std::move(s));
  }
  // The reserved id names one request only: a second send of the draft loses there.
  if (!sent.ok() && sent.status().code() == Code::kConflict) return NotFound(kNoDraft);
  if (!sent.ok()) return sent.status();
  CS_RETURN_IF_ERROR(store_.MarkSent(d.id, clock_.NowSeconds()).status());
  return sent;
}

}  // namespace countersign
