// TemplateService: the rules for templates (issue 13, docs/templates.md): what a template may
// hold (documents stored like a send's, signer roles, CC roles, merge fields, form fields whose
// signer is a role), who sees one (the owner, through the API key or the app whose token made
// it; accounts it was shared with), who may change it (the owner), and sending from one or more
// templates, which builds an ordinary SendInput for SignatureRequestService::Send so the request
// holds its own copy of everything. A template the viewer may not see is kNotFound, never
// kPermissionDenied. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "files/blob_store.h"
#include "model/form_field.h"
#include "model/template_records.h"
#include "service/signature_request_service.h"
#include "store/account_store.h"
#include "store/template_store.h"

namespace countersign {

// POST /template/create.
struct TemplateInput {
  std::vector<UploadedFile> files;
  std::vector<std::string> file_urls;
  std::string title;
  std::string subject;
  std::string message;
  nlohmann::json metadata = nlohmann::json::object();
  bool test_mode = false;
  bool allow_reassign = false;
  std::vector<TemplateRole> signer_roles;
  std::vector<std::string> cc_roles;
  std::vector<TemplateMergeField> merge_fields;
  // form_fields_per_document as sent; `signer` is a role's index or name ("sender" for merge
  // fields). TemplateService parses and checks it.
  nlohmann::json form_fields = nlohmann::json::array();
  std::vector<FormFieldGroup> form_field_groups;
  std::vector<FormFieldRule> form_field_rules;
  std::string field_options_json;
  std::string client_id;
};

// POST /template/update/{id}: what is given replaces what the template has.
struct TemplateChange {
  std::optional<std::string> title;
  std::optional<std::string> subject;
  std::optional<std::string> message;
  std::optional<std::vector<std::string>> cc_roles;
  std::vector<std::pair<std::string, std::string>> field_names;  // api_id -> new name
};

// POST /template/update_files/{id}: a new template with these documents and the old overlay.
struct TemplateFilesInput {
  std::vector<UploadedFile> files;
  std::vector<std::string> file_urls;
  std::optional<std::string> subject;
  std::optional<std::string> message;
  std::string client_id;
};

// A template as one viewer sees it, with what the wire format needs besides the record.
struct TemplateView {
  Template tmpl;
  std::vector<FormField> fields;  // parsed form_fields_json; signer = role index
  std::vector<FormFieldGroup> groups;
  std::vector<Account> accounts;  // the owner, then the accounts it is shared with
  bool is_creator = false;
  bool can_edit = false;
};

struct TemplateViewPage {
  std::vector<TemplateView> templates;
  int64_t total = 0;
};

// POST /signature_request/send_with_template: the usual send parameters in `send` (files are
// appended after the templates' documents; signers and cc_emails come from the roles below).
struct TemplateSendInput {
  std::vector<std::string> template_ids;
  struct RoleSigner {
    std::string role;
    SignerInput signer;
  };
  std::vector<RoleSigner> signers;
  std::vector<std::pair<std::string, std::string>> ccs;  // role -> email
  SendInput send;
};

// The template as the account `viewer_account_id` sees it (is_creator, can_edit), with its
// parsed fields and the accounts that can use it. Also used by the event worker.
StatusOr<TemplateView> ViewOfTemplate(AccountStore& accounts, Template t,
                                      const std::string& viewer_account_id);

class TemplateService {
 public:
  TemplateService(TemplateStore& store, AccountStore& accounts, SignatureRequestService& requests,
                  BlobStore& blobs, const Clock& clock);

  // kInvalidArgument with the parameter path for anything wrong in `input`.
  StatusOr<TemplateView> Create(const RequestViewer& viewer, TemplateInput input);
  // kNotFound unless the viewer may see it.
  StatusOr<TemplateView> Get(const RequestViewer& viewer, const std::string& id);
  // `account_id`: "" / "all" / the viewer's own id (kInvalidArgument otherwise).
  StatusOr<TemplateViewPage> List(const RequestViewer& viewer, const ListInput& input,
                                  const std::string& account_id);
  // The owner only (kPermissionDenied for an account it is shared with).
  Status Delete(const RequestViewer& viewer, const std::string& id);
  StatusOr<TemplateView> Update(const RequestViewer& viewer, const std::string& id,
                                const TemplateChange& change);
  // Replaces the template's form fields with `form_fields` (form_fields_per_document as
  // /template/create takes it: `signer` a role's index or name, "sender" for merge fields),
  // checked as at creation, placement against the stored pages. Groups and rules are kept and
  // must still match the new fields. The owner only. kInvalidArgument with the field's path.
  StatusOr<TemplateView> ReplaceFields(const RequestViewer& viewer, const std::string& id,
                                       const nlohmann::json& form_fields);
  // Returns the new template.
  StatusOr<TemplateView> UpdateFiles(const RequestViewer& viewer, const std::string& id,
                                     TemplateFilesInput input);
  // Shares with / stops sharing with the account with `account_id` (or, when empty, `email`).
  StatusOr<TemplateView> AddUser(const RequestViewer& viewer, const std::string& id,
                                 const std::string& account_id, const std::string& email);
  StatusOr<TemplateView> RemoveUser(const RequestViewer& viewer, const std::string& id,
                                    const std::string& account_id, const std::string& email);

  // The template by id without a viewer, for callers that authorized the access another way
  // (a signed download link). kNotFound.
  StatusOr<Template> GetById(const std::string& id);

  // Paths of the template's documents in order (for downloads).
  StatusOr<std::vector<std::string>> DocumentPaths(const Template& t);

  // Sends a signature request made of the templates (template_ids, in order): kNotFound
  // (path template_ids[i]) for one the viewer may not see; kInvalidArgument for a signer or cc
  // whose role no template has, or a role left without one.
  StatusOr<SignatureRequest> Send(const RequestViewer& viewer, TemplateSendInput input);
  // What Send checks of `input`'s templates, signers and CCs, for a draft that is sent later
  // and may leave roles for the prepare page: the same errors, except that a role may have
  // no signer or CC yet. Sends nothing.
  Status CheckDraftRoles(const RequestViewer& viewer, const TemplateSendInput& input);

 private:
  StatusOr<Template> Visible(const RequestViewer& viewer, const std::string& id);
  // The templates of `ids`, in order: kNotFound (path template_ids[i]) for one the viewer may
  // not see, kInvalidArgument for none.
  StatusOr<std::vector<Template>> VisibleAll(const RequestViewer& viewer,
                                             const std::vector<std::string>& ids);
  StatusOr<Template> Editable(const RequestViewer& viewer, const std::string& id);
  StatusOr<TemplateView> ViewOf(const RequestViewer& viewer, Template t);

  TemplateStore& store_;
  AccountStore& accounts_;
  SignatureRequestService& requests_;
  BlobStore& blobs_;
  const Clock& clock_;
};

}  // namespace countersign
