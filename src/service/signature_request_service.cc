#include "service/signature_request_service.h"

#include <algorithm>
#include <filesystem>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/json_dump.h"
#include "service/custom_fields.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/list_query.h"
#include "service/request_events.h"
#include "service/send_validation.h"
#include "service/text_tag_fields.h"
#include "service/text_validation.h"
#include "service/validation.h"

namespace countersign {

namespace {

std::string FilePath(const char* field, size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

// The last path segment of a URL, without query, for naming a fetched file.
std::string NameFromUrl(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return name.empty() || name.size() > 255 ? "document.pdf" : name;
}

// Whether the viewer's account has confirmed its email address. Until it has, anyone could
// have claimed the address, so the requests sent to it (as a signer or cc) stay hidden.
StatusOr<bool> EmailConfirmed(AccountStore& accounts, const RequestViewer& viewer) {
  CS_ASSIGN_OR_RETURN(Account account, accounts.FindById(viewer.account_id));
  return account.email_confirmed;
}

// The rule of who sees a request, matching what /list shows: the requester with the API key;
// an app only what its own tokens created for this user; a signer's confirmed account the
// requests it was listed for when they reached it.
StatusOr<bool> Visible(SignatureRequestStore& store, AccountStore& accounts,
                       const RequestViewer& viewer, const SignatureRequest& r) {
  if (!viewer.token_client_id.empty()) {
    return r.account_id == viewer.account_id && r.created_by_client_id == viewer.token_client_id;
  }
  if (r.account_id == viewer.account_id) return true;
  CS_ASSIGN_OR_RETURN(bool confirmed, EmailConfirmed(accounts, viewer));
  if (!confirmed) return false;
  return store.IsListedFor(viewer.account_id, r.id);
}

}  // namespace

SignatureRequestService::SignatureRequestService(SignatureRequestStore& store,
                                                 AccountStore& accounts, AppStore& apps,
                                                 BlobStore& blobs, PdfInspector& pdf,
                                                 UrlFetcher& fetcher, const Clock& clock,
                                                 const PublicUrl& public_url, Options options)
    : store_(store),
      accounts_(accounts),
      apps_(apps),
      blobs_(blobs),
      pdf_(pdf),
      fetcher_(fetcher),
      clock_(clock),
      public_url_(public_url),
      options_(options) {}

Status SignatureRequestService::CheckClient(const RequestViewer& viewer,
                                            const std::string& client_id) {
  if (client_id.empty()) return Status::Ok();
  if (!viewer.token_client_id.empty()) {
    if (client_id != viewer.token_client_id) {
      return InvalidArgument("client_id must be the client_id of the app whose token is used",
                             "client_id");
    }
    return Status::Ok();
  }
  auto app = apps_.FindByClientId(client_id);
  if (!app.ok() || app->owner_account_id != viewer.account_id) {
    return InvalidArgument("No app of yours has this client_id", "client_id");
  }
  return Status::Ok();
}

StatusOr<RequestFile> SignatureRequestService::Admit(const std::string& blob_path,
                                                     const std::string& name,
                                                     const std::string& path,
                                                     std::vector<std::vector<PageBox>>& pages) {
  auto info = pdf_.Inspect(blob_path);
  if (!info.ok()) return InvalidArgument(info.status().message(), path);
  RequestFile f;
  f.name = name;
  f.page_count = info->page_count;
  pages.push_back(std::move(info->pages));
  return f;
}

StatusOr<RequestFile> SignatureRequestService::StoreUpload(
    const UploadedFile& file, size_t i, std::vector<std::vector<PageBox>>& pages) {
  const std::string path = FilePath("files", i);
  if (static_cast<int64_t>(file.data.size()) > options_.max_file_bytes) {
    return InvalidArgument("The file is larger than the limit of " +
                               std::to_string(options_.max_file_bytes >> 20) + " MB",
                           path);
  }
  if (file.data.empty()) return InvalidArgument("The file is empty", path);
  // Stored once by content; a blob no request references is never visible anywhere.
  CS_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.Put(file.data));
  CS_ASSIGN_OR_RETURN(std::string blob_path, blobs_.PathOf(blob.sha256));
  std::string name = file.name.empty() ? "document.pdf" : file.name;
  CS_ASSIGN_OR_RETURN(RequestFile f, Admit(blob_path, name, path, pages));
  f.sha256 = blob.sha256;
  f.size = blob.size;
  return f;
}

StatusOr<RequestFile> SignatureRequestService::StoreUrl(const std::string& url, size_t i,
                                                        int64_t deadline,
                                                        std::vector<std::vector<PageBox>>& pages) {
  const std::string path = FilePath("file_urls", i);
  if (!IsValidHttpUrl(url)) return InvalidArgument("file_urls must be http or https URLs", path);
  const int64_t left = deadline - clock_.NowSeconds();
  if (left <= 0) {
    return InvalidArgument("Could not download " + url + ": the file_urls took longer than " +
                               std::to_string(options_.fetch_total_seconds) +
                               " s in total to download",
                           path);
  }
  const std::string temp = blobs_.NewTempPath();
  FetchOptions fetch = options_.fetch;
  fetch.max_bytes = options_.max_file_bytes;
  fetch.timeout_seconds = static_cast<int>(std::min<int64_t>(fetch.timeout_seconds, left));
  Status fetched = fetcher_.Fetch(url, temp, fetch);
  if (!fetched.ok()) return InvalidArgument(fetched.message(), path);
  auto info = pdf_.Inspect(temp);
  if (!info.ok()) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return InvalidArgument(info.status().message(), path);
  }
  CS_ASSIGN_OR_RETURN(BlobInfo blob, blobs_.PutFile(temp));
  RequestFile f;
  f.name = NameFromUrl(url);
  f.sha256 = blob.sha256;
  f.size = blob.size;
  f.page_count = info->page_count;
  pages.push_back(std::move(info->pages));
  return f;
}

StatusOr<SignatureRequest> SignatureRequestService::Send(const RequestViewer& viewer,
                                                         SendInput in) {
  const int64_t now = clock_.NowSeconds();
  {  // Email confirmation (docs/account-creation.md): unconfirmed accounts cannot send.
    CS_ASSIGN_OR_RETURN(Account sender, accounts_.FindById(viewer.account_id));
    if (!sender.email_confirmed) {
      return PermissionDenied(
          "Confirm your email address before sending signature requests: open the link we "
          "emailed you.");
    }
  }
  if (in.files.empty() && in.file_urls.empty()) {
    return InvalidArgument("Either files or file_urls is required", "files");
  }
  if (!in.files.empty() && !in.file_urls.empty()) {
    return InvalidArgument("Send either files or file_urls, not both", "file_urls");
  }
  if (in.files.size() + in.file_urls.size() > options_.max_files) {
    return InvalidArgument("At most " + std::to_string(options_.max_files) + " files are allowed",
                           in.files.empty() ? "file_urls" : "files");
  }
  CS_RETURN_IF_ERROR(ValidateSigners(in.signers));
  CS_RETURN_IF_ERROR(ValidateCcEmails(in.cc_emails));
  CS_RETURN_IF_ERROR(ValidateMetadata(in.metadata));
  CS_RETURN_IF_ERROR(ValidateTexts(in, now));
  CS_RETURN_IF_ERROR(CheckClient(viewer, in.client_id));
  CS_RETURN_IF_ERROR(
      CheckFieldTargets(in.form_fields, in.signers.size(), in.files.size() + in.file_urls.size()));
  CS_RETURN_IF_ERROR(CheckFieldGroups(in.form_fields, in.form_field_groups));
  CS_RETURN_IF_ERROR(CheckFieldRules(in.form_fields, in.form_field_groups, in.form_field_rules));

  SignatureRequest r;
  std::vector<std::vector<PageBox>> pages;  // of each document, for the form fields
  for (size_t i = 0; i < in.files.size(); ++i) {
    CS_ASSIGN_OR_RETURN(RequestFile f, StoreUpload(in.files[i], i, pages));
    r.files.push_back(std::move(f));
  }
  const int64_t fetch_deadline = now + options_.fetch_total_seconds;
  for (size_t i = 0; i < in.file_urls.size(); ++i) {
    CS_ASSIGN_OR_RETURN(RequestFile f, StoreUrl(in.file_urls[i], i, fetch_deadline, pages));
    r.files.push_back(std::move(f));
  }
  CS_RETURN_IF_ERROR(CheckFieldPlacement(in.form_fields, pages));
  std::string form_fields_json = in.form_fields_json;
  if (in.use_text_tags) {  // docs/text-tags.md
    std::vector<std::string> paths;
    for (size_t i = 0; i < r.files.size(); ++i) {
      paths.push_back(FilePath(in.files.empty() ? "file_urls" : "files", i));
    }
    CS_ASSIGN_OR_RETURN(form_fields_json,
                        ApplyTextTags(blobs_, r.files, paths, in.form_fields, in.form_fields_json,
                                      in.signers.size(), pages, in.hide_text_tags));
  }
  for (size_t i = 0; i < r.files.size() && i < pages.size(); ++i) {
    for (const PageBox& box : pages[i]) r.files[i].page_sizes.push_back({box.width, box.height});
  }

  r.id = NewAccountId();  // 40 hex, like Dropbox Sign request ids
  r.account_id = viewer.account_id;
  r.requester_email = viewer.email;
  r.client_id = in.client_id.empty() ? viewer.token_client_id : in.client_id;
  r.created_by_client_id = viewer.token_client_id;
  r.title = in.title && !in.title->empty() ? *in.title : r.files.front().name;
  r.original_title = r.title;
  r.subject = in.subject;
  r.message = in.message;
  r.metadata_json = DumpJson(in.metadata);
  r.test_mode = in.test_mode;
  r.allow_decline = in.allow_decline;
  r.allow_reassign = in.allow_reassign;
  r.signing_options_json = in.signing_options_json;
  r.field_options_json = in.field_options_json;
  r.form_fields_json = form_fields_json;
  r.custom_fields_json = CustomFieldsJson(in.custom_fields);
  r.form_field_groups_json = FormFieldGroupsJson(in.form_field_groups);
  r.form_field_rules_json = FormFieldRulesJson(in.form_field_rules);
  r.signing_redirect_url = in.signing_redirect_url;
  r.created_at = now;
  r.expires_at = in.expires_at.value_or(0);
  r.cc_emails = in.cc_emails;
  for (size_t i = 0; i < in.signers.size(); ++i) {
    Signature s;
    s.signature_id = NewClientId();
    s.position = static_cast<int>(i);
    if (in.signers[i].order) s.order = static_cast<int>(*in.signers[i].order);
    s.name = in.signers[i].name;
    s.email = in.signers[i].email;
    if (!in.signers[i].pin.empty()) {
      CS_ASSIGN_OR_RETURN(s.pin_hash, HashPin(in.signers[i].pin));
    }
    r.signatures.push_back(std::move(s));
  }
  std::vector<QueuedMail> mails;
  const std::string base = public_url_.Get();
  for (size_t i : SignersWhoseTurnItIs(r)) {
    mails.push_back(SignerMail(r, r.signatures[i], base, now, SignerMailKind::kRequest));
  }
  AuditEntry sent{now, "sent", viewer.email, viewer.ip, viewer.user_agent};
  CS_RETURN_IF_ERROR(
      store_.Create(r, mails, {RequestEvent(r, "signature_request_sent", now)}, sent));
  return r;
}

StatusOr<SignatureRequest> SignatureRequestService::Get(const RequestViewer& viewer,
                                                        const std::string& id) {
  auto r = store_.Get(id);
  if (!r.ok()) return r.status();
  CS_ASSIGN_OR_RETURN(bool visible, Visible(store_, accounts_, viewer, *r));
  if (!visible) return NotFound("Signature request not found.");
  if (r->canceled_at != 0) {
    return Status(Code::kGone, "This signature request has been canceled.");
  }
  return r;
}

StatusOr<SignatureRequest> SignatureRequestService::GetById(const std::string& id) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, store_.Get(id));
  if (r.canceled_at != 0) return Status(Code::kGone, "This signature request has been canceled.");
  return r;
}

StatusOr<RequestPage> SignatureRequestService::List(const RequestViewer& viewer,
                                                    const ListInput& input) {
  if (input.page < 1) return InvalidArgument("page must be 1 or more", "page");
  if (input.page_size < 1 || input.page_size > 100) {
    return InvalidArgument("page_size must be between 1 and 100", "page_size");
  }
  RequestListFilter filter;
  filter.account_id = viewer.account_id;
  if (!viewer.token_client_id.empty()) {
    filter.created_by_client_id = viewer.token_client_id;
  } else {
    CS_ASSIGN_OR_RETURN(bool confirmed, EmailConfirmed(accounts_, viewer));
    filter.sent_only = !confirmed;
  }
  CS_RETURN_IF_ERROR(ParseListQuery(input.query, filter));
  filter.limit = input.page_size;
  filter.offset = (input.page - 1) * input.page_size;
  return store_.List(filter);
}

Status SignatureRequestService::Cancel(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, Get(viewer, id));
  if (r.account_id != viewer.account_id) {
    return PermissionDenied("Only the sender can cancel this request.");
  }
  if (r.is_complete) return Conflict("This signature request is already complete.");
  const int64_t now = clock_.NowSeconds();
  Status st = store_.Cancel(id, now, RequestEvent(r, "signature_request_canceled", now));
  if (st.code() == Code::kConflict) {  // canceled or completed meanwhile
    return Status(Code::kGone, "This signature request has been canceled.");
  }
  return st;
}

StatusOr<SignatureRequest> SignatureRequestService::Remind(const RequestViewer& viewer,
                                                           const std::string& id,
                                                           const std::string& email_in,
                                                           const std::string& name) {
  const std::string email = ToLower(Trim(email_in));
  if (email.empty()) return InvalidArgument("This value should not be blank", "email_address");
  if (!IsValidEmail(email)) return InvalidArgument("Invalid email address", "email_address");
  CS_ASSIGN_OR_RETURN(SignatureRequest r, Get(viewer, id));
  if (r.account_id != viewer.account_id) {
    return PermissionDenied("Only the sender can send reminders.");
  }
  if (r.is_complete) return Conflict("This signature request is already complete.");
  std::vector<size_t> turn = SignersWhoseTurnItIs(r);
  for (size_t i : turn) {
    Signature& s = r.signatures[i];
    if (s.email != email || (!name.empty() && s.name != name)) continue;
    const int64_t now = clock_.NowSeconds();
    // The reminder's link replaces the earlier one; its hash is stored with the reminder.
    QueuedMail mail = SignerMail(r, s, public_url_.Get(), now, SignerMailKind::kReminder);
    CS_ASSIGN_OR_RETURN(
        bool sent,
        store_.TryRemind(s.signature_id, now, options_.remind_interval_seconds, s.access_hash, mail,
                         RequestEvent(r, "signature_request_remind", now, s.signature_id)));
    if (!sent) return Conflict("This signer was reminded less than an hour ago.");
    s.last_reminded_at = now;
    return r;
  }
  return InvalidArgument("No signer with this email address is waiting to sign.", "email_address");
}

StatusOr<SignatureRequest> SignatureRequestService::Update(const RequestViewer& viewer,
                                                           const std::string& id,
                                                           const SignerChange& change) {
  if (change.signature_id.empty()) {
    return InvalidArgument("This value should not be blank", "signature_id");
  }
  if (!change.email && !change.name && !change.expires_at) {
    return InvalidArgument("Give email_address, name or expires_at", "email_address");
  }
  CS_ASSIGN_OR_RETURN(SignatureRequest r, Get(viewer, id));
  if (r.account_id != viewer.account_id) {
    return PermissionDenied("Only the sender can update this request.");
  }
  if (r.is_complete) return Conflict("This signature request is already complete.");
  if (r.expired_at != 0) return Conflict("This signature request has expired.");
  auto it = std::find_if(r.signatures.begin(), r.signatures.end(),
                         [&](const Signature& s) { return s.signature_id == change.signature_id; });
  if (it == r.signatures.end()) {
    return InvalidArgument("No signer of this request has this signature_id", "signature_id");
  }
  const int64_t now = clock_.NowSeconds();
  if (change.expires_at) {
    SendInput probe;
    probe.expires_at = change.expires_at;
    CS_RETURN_IF_ERROR(ValidateTexts(probe, now));
  }
  if (change.email || change.name) {
    if (it->status_code != "awaiting_signature") {
      return Conflict("This signer has already signed or declined.");
    }
    Signature updated = *it;
    std::vector<QueuedMail> mails;
    if (change.name) {
      updated.name = Trim(*change.name);
      if (updated.name.empty() || updated.name.size() > 255) {
        return InvalidArgument("name must be 1 to 255 characters", "name");
      }
      CS_RETURN_IF_ERROR(CheckPlainText(updated.name, "name"));
    }
    if (change.email) {
      std::string email = ToLower(Trim(*change.email));
      if (!IsValidEmail(email)) return InvalidArgument("Invalid email address", "email_address");
      if (email != it->email) {
        // A new person: a new signature id, and earlier links stop working.
        updated.email = email;
        updated.signature_id = NewClientId();
        updated.access_hash.clear();
        updated.last_viewed_at = 0;
        updated.last_reminded_at = 0;
        *it = updated;
        std::vector<size_t> turn = SignersWhoseTurnItIs(r);
        size_t pos = static_cast<size_t>(it - r.signatures.begin());
        if (std::find(turn.begin(), turn.end(), pos) != turn.end()) {
          mails.push_back(SignerMail(r, updated, public_url_.Get(), now, SignerMailKind::kRequest));
        }
      }
    }
    CS_RETURN_IF_ERROR(store_.UpdateSigner(r.id, change.signature_id, updated, mails));
    *it = updated;
  }
  if (change.expires_at) {
    CS_RETURN_IF_ERROR(store_.SetExpiry(r.id, *change.expires_at));
    r.expires_at = *change.expires_at;
  }
  return r;
}

StatusOr<std::vector<std::string>> SignatureRequestService::DocumentPaths(
    const SignatureRequest& request) {
  std::vector<std::string> paths;
  for (const auto& f : request.files) {
    CS_ASSIGN_OR_RETURN(std::string p, blobs_.PathOf(f.sha256));
    paths.push_back(std::move(p));
  }
  return paths;
}

}  // namespace countersign
