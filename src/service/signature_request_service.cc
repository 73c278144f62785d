#include "service/signature_request_service.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/ids.h"
#include "core/json_dump.h"
#include "service/custom_fields.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/request_events.h"
#include "service/send_validation.h"
#include "service/text_tag_fields.h"
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

Status SignatureRequestService::CheckEmbedded(const SendInput& in) {
  if (!in.embedded) return Status::Ok();
  if (in.client_id.empty()) return InvalidArgument("client_id is required", "client_id");
  for (size_t i = 0; i < in.signers.size(); ++i) {
    if (!in.signers[i].pin.empty() || !in.signers[i].pin_hash.empty()) {
      return InvalidArgument("Embedded signers cannot have a PIN",
                             "signers[" + std::to_string(i) + "][pin]");
    }
  }
  CS_ASSIGN_OR_RETURN(ApiApp app, apps_.FindByClientId(in.client_id));
  if (!app.is_approved && !in.test_mode) {
    return PermissionDenied(
        "This app is not approved yet: until an operator approves it, embedded requests must "
        "use test_mode=1.");
  }
  return Status::Ok();
}

StatusOr<RequestFile> SignatureRequestService::InspectUpload(
    const UploadedFile& file, size_t i, std::vector<std::vector<PageBox>>& pages) {
  const std::string path = FilePath("files", i);
  if (static_cast<int64_t>(file.data.size()) > options_.max_file_bytes) {
    return InvalidArgument("The file is larger than the limit of " +
                               std::to_string(options_.max_file_bytes >> 20) + " MB",
                           path);
  }
  if (file.data.empty()) return InvalidArgument("The file is empty", path);
  auto info = pdf_.InspectBuffer(file.data);
  if (!info.ok()) return InvalidArgument(info.status().message(), path);
  RequestFile f;
  f.name = file.name.empty() ? "document.pdf" : file.name;
  f.page_count = info->page_count;
  pages.push_back(std::move(info->pages));
  return f;
}

StatusOr<RequestFile> SignatureRequestService::FetchUrl(const std::string& url, size_t i,
                                                        int64_t deadline, const std::string& temp,
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
  FetchOptions fetch = options_.fetch;
  fetch.max_bytes = options_.max_file_bytes;
  fetch.timeout_seconds = static_cast<int>(std::min<int64_t>(fetch.timeout_seconds, left));
  Status fetched = fetcher_.Fetch(url, temp, fetch);
  if (!fetched.ok()) return InvalidArgument(fetched.message(), path);
  auto info = pdf_.Inspect(temp);
  if (!info.ok()) return InvalidArgument(info.status().message(), path);
  RequestFile f;
  f.name = NameFromUrl(url);
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
  CS_RETURN_IF_ERROR(CheckDocumentSources(in.files.size(), in.file_urls.size()));
  CS_RETURN_IF_ERROR(ValidateSigners(in.signers));
  CS_RETURN_IF_ERROR(ValidateCcEmails(in.cc_emails));
  CS_RETURN_IF_ERROR(ValidateMetadata(in.metadata));
  CS_RETURN_IF_ERROR(ValidateTexts(in, now));
  CS_RETURN_IF_ERROR(CheckClient(viewer, in.client_id));
  CS_RETURN_IF_ERROR(CheckEmbedded(in));
  CS_RETURN_IF_ERROR(
      CheckFieldTargets(in.form_fields, in.signers.size(), in.files.size() + in.file_urls.size()));
  CS_RETURN_IF_ERROR(CheckFieldGroups(in.form_fields, in.form_field_groups));
  CS_RETURN_IF_ERROR(CheckFieldRules(in.form_fields, in.form_field_groups, in.form_field_rules));

  SignatureRequest r;
  std::vector<std::vector<PageBox>> pages;  // of each document, for the form fields
  CS_ASSIGN_OR_RETURN(r.files,
                      StoreDocuments(in.files, in.file_urls, pages, [&in](const auto& boxes) {
                        return CheckFieldPlacement(in.form_fields, boxes);
                      }));
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

  r.id = in.id.value_or(NewAccountId());  // 40 hex, like Dropbox Sign request ids
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
  r.embedded = in.embedded;
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
  r.template_ids = in.template_ids;
  for (size_t i = 0; i < in.signers.size(); ++i) {
    Signature s;
    s.signature_id = NewClientId();
    s.position = static_cast<int>(i);
    if (in.signers[i].order) s.order = static_cast<int>(*in.signers[i].order);
    s.name = in.signers[i].name;
    s.email = in.signers[i].email;
    s.role = in.signers[i].role;
    if (!in.signers[i].pin_hash.empty()) {
      s.pin_hash = in.signers[i].pin_hash;
    } else if (!in.signers[i].pin.empty()) {
      CS_ASSIGN_OR_RETURN(s.pin_hash, HashPin(in.signers[i].pin));
    }
    r.signatures.push_back(std::move(s));
  }
  std::vector<QueuedMail> mails;
  const std::string base = public_url_.Get();
  for (size_t i : SignersWhoseTurnItIs(r)) {
    if (r.embedded) break;  // opened through sign_urls instead
    mails.push_back(SignerMail(r, r.signatures[i], base, now, SignerMailKind::kRequest));
  }
  AuditEntry sent{now, "sent", viewer.email, viewer.ip, viewer.user_agent};
  CS_RETURN_IF_ERROR(
      store_.Create(r, mails, {RequestEvent(r, "signature_request_sent", now)}, sent));
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
