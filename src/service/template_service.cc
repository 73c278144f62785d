// TemplateService: creating, reading, listing, changing and sharing templates. Sending from
// templates is in template_send.cc.
#include "service/template_service.h"

#include <algorithm>
#include <sstream>

#include "core/ids.h"
#include "core/json_dump.h"
#include "service/form_field_groups.h"
#include "service/form_field_rules.h"
#include "service/form_fields.h"
#include "service/paging.h"
#include "service/send_validation.h"
#include "service/template_rules.h"
#include "service/validation.h"

namespace countersign {

namespace {

bool SharedWith(const Template& t, const std::string& account_id) {
  return std::find(t.shared_account_ids.begin(), t.shared_account_ids.end(), account_id) !=
         t.shared_account_ids.end();
}

// The rule of who sees a template, matching what /template/list shows: with the API key its
// owner; through an app's token the owner only when that app created it; and any account the
// owner shared it with.
bool IsVisible(const RequestViewer& viewer, const Template& t) {
  if (SharedWith(t, viewer.account_id)) return true;
  if (t.account_id != viewer.account_id) return false;
  return viewer.token_client_id.empty() || t.created_by_client_id == viewer.token_client_id;
}

// template_created, reported for the owner and the template's app (as the files are ready at
// once, it is recorded with the template).
EventRecord CreatedEvent(const Template& t) {
  EventRecord e;
  e.id = NewInternalId();
  e.event_type = "template_created";
  e.event_time = t.created_at;
  e.account_id = t.account_id;
  e.client_id = t.client_id;
  e.template_id = t.id;
  return e;
}

// Title, subject and message as a send checks them (length, plain text).
Status CheckTexts(const std::string& title, const std::string& subject, const std::string& message,
                  int64_t now) {
  SendInput texts;
  texts.title = title;
  texts.subject = subject;
  texts.message = message;
  return ValidateTexts(texts, now);
}

// The form fields, groups and rules of `input` against its roles and `document_count`
// documents (placement is checked once the documents are stored).
StatusOr<std::vector<FormField>> CheckFields(const TemplateInput& input, size_t document_count,
                                             nlohmann::json& normalized) {
  CS_ASSIGN_OR_RETURN(normalized, NormalizeTemplateFields(input.form_fields, input.signer_roles));
  CS_ASSIGN_OR_RETURN(std::vector<FormField> fields, ParseFormFields(normalized));
  CS_RETURN_IF_ERROR(CheckFieldTargets(fields, input.signer_roles.size(), document_count));
  CS_RETURN_IF_ERROR(CheckFieldGroups(fields, input.form_field_groups));
  CS_RETURN_IF_ERROR(CheckFieldRules(fields, input.form_field_groups, input.form_field_rules));
  return fields;
}

// The account named by `account_id`, or when that is empty by `email` (add_user,
// remove_user). kInvalidArgument when neither is given; kNotFound when no account matches.
StatusOr<Account> FindAccount(AccountStore& accounts, const std::string& account_id,
                              const std::string& email) {
  if (account_id.empty() && email.empty()) {
    return InvalidArgument("account_id or email_address is required", "account_id");
  }
  return account_id.empty() ? accounts.FindByEmail(ToLower(Trim(email)))
                            : accounts.FindById(account_id);
}

}  // namespace

StatusOr<TemplateView> ViewOfTemplate(AccountStore& accounts, Template t,
                                      const std::string& viewer_account_id) {
  TemplateView view;
  CS_ASSIGN_OR_RETURN(view.fields, TemplateFields(t));
  CS_ASSIGN_OR_RETURN(view.groups, TemplateGroups(t));
  std::vector<std::string> ids = {t.account_id};
  ids.insert(ids.end(), t.shared_account_ids.begin(), t.shared_account_ids.end());
  for (const std::string& id : ids) {
    auto account = accounts.FindById(id);
    if (account.ok()) {
      view.accounts.push_back(std::move(account).value());
    } else if (account.status().code() != Code::kNotFound) {
      return account.status();
    }
  }
  view.is_creator = t.account_id == viewer_account_id;
  view.can_edit = view.is_creator;
  view.tmpl = std::move(t);
  return view;
}

TemplateService::TemplateService(TemplateStore& store, AccountStore& accounts,
                                 SignatureRequestService& requests, BlobStore& blobs,
                                 const Clock& clock)
    : store_(store), accounts_(accounts), requests_(requests), blobs_(blobs), clock_(clock) {}

StatusOr<Template> TemplateService::Visible(const RequestViewer& viewer, const std::string& id) {
  auto t = store_.Get(id);
  if (!t.ok()) {
    if (t.status().code() == Code::kNotFound) return NotFound("Template not found.");
    return t.status();
  }
  if (!IsVisible(viewer, *t)) return NotFound("Template not found.");
  return t;
}

StatusOr<Template> TemplateService::Editable(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(Template t, Visible(viewer, id));
  if (t.account_id != viewer.account_id) {
    return PermissionDenied("Only the owner of this template can change it.");
  }
  return t;
}

StatusOr<TemplateView> TemplateService::ViewOf(const RequestViewer& viewer, Template t) {
  return ViewOfTemplate(accounts_, std::move(t), viewer.account_id);
}

StatusOr<TemplateView> TemplateService::Create(const RequestViewer& viewer, TemplateInput in) {
  const int64_t now = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(requests_.CheckDocumentSources(in.files.size(), in.file_urls.size()));
  CS_RETURN_IF_ERROR(CheckTemplateRoles(in.signer_roles, in.cc_roles));
  CS_RETURN_IF_ERROR(CheckMergeFields(in.merge_fields));
  CS_RETURN_IF_ERROR(ValidateMetadata(in.metadata));
  CS_RETURN_IF_ERROR(CheckTexts(in.title, in.subject, in.message, now));
  CS_RETURN_IF_ERROR(ValidateFieldOptions(in.field_options_json));
  CS_RETURN_IF_ERROR(requests_.CheckClient(viewer, in.client_id));
  nlohmann::json normalized;
  CS_ASSIGN_OR_RETURN(std::vector<FormField> fields,
                      CheckFields(in, in.files.size() + in.file_urls.size(), normalized));

  Template t;
  std::vector<std::vector<PageBox>> pages;
  CS_ASSIGN_OR_RETURN(t.files, requests_.StoreDocuments(in.files, in.file_urls, pages));
  CS_RETURN_IF_ERROR(CheckFieldPlacement(fields, pages));
  t.id = NewAccountId();  // 40 hex, like Dropbox Sign template ids
  t.account_id = viewer.account_id;
  t.client_id = in.client_id.empty() ? viewer.token_client_id : in.client_id;
  t.created_by_client_id = viewer.token_client_id;
  t.title = in.title.empty() ? t.files.front().name : in.title;
  t.subject = in.subject;
  t.message = in.message;
  t.metadata_json = DumpJson(in.metadata);
  t.test_mode = in.test_mode;
  t.allow_reassign = in.allow_reassign;
  t.signer_roles = std::move(in.signer_roles);
  t.cc_roles = std::move(in.cc_roles);
  t.merge_fields = std::move(in.merge_fields);
  t.form_fields_json = fields.empty() ? "" : DumpJson(normalized);
  t.form_field_groups_json = FormFieldGroupsJson(in.form_field_groups);
  t.form_field_rules_json = FormFieldRulesJson(in.form_field_rules);
  t.field_options_json = in.field_options_json;
  t.created_at = now;
  t.updated_at = now;
  CS_RETURN_IF_ERROR(store_.Create(t, {CreatedEvent(t)}));
  return ViewOf(viewer, std::move(t));
}

StatusOr<TemplateView> TemplateService::Get(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(Template t, Visible(viewer, id));
  return ViewOf(viewer, std::move(t));
}

StatusOr<Template> TemplateService::GetById(const std::string& id) { return store_.Get(id); }

StatusOr<TemplateViewPage> TemplateService::List(const RequestViewer& viewer,
                                                 const ListInput& input,
                                                 const std::string& account_id) {
  if (!account_id.empty() && account_id != "all" && account_id != viewer.account_id) {
    return InvalidArgument("account_id must be your own account_id or \"all\"", "account_id");
  }
  if (input.page < 1) return InvalidArgument("page must be 1 or more", "page");
  if (input.page_size < 1 || input.page_size > 100) {
    return InvalidArgument("page_size must be between 1 and 100", "page_size");
  }
  TemplateListFilter filter;
  filter.account_id = viewer.account_id;
  if (!viewer.token_client_id.empty()) filter.created_by_client_id = viewer.token_client_id;
  std::istringstream words(input.query);
  for (std::string word; words >> word;) {
    if (word.rfind("title:", 0) == 0) word = word.substr(6);  // the search guide's field prefix
    if (!word.empty()) filter.title_words.push_back(word);
  }
  filter.limit = input.page_size;
  filter.offset = PageOffset(input.page, input.page_size);
  CS_ASSIGN_OR_RETURN(TemplatePage page, store_.List(filter));
  TemplateViewPage out;
  out.total = page.total;
  for (Template& t : page.templates) {
    CS_ASSIGN_OR_RETURN(TemplateView view, ViewOf(viewer, std::move(t)));
    out.templates.push_back(std::move(view));
  }
  return out;
}

Status TemplateService::Delete(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(Template t, Editable(viewer, id));
  return store_.Delete(t.id);
}

StatusOr<TemplateView> TemplateService::Update(const RequestViewer& viewer, const std::string& id,
                                               const TemplateChange& change) {
  CS_ASSIGN_OR_RETURN(Template t, Editable(viewer, id));
  if (change.title) t.title = *change.title;
  if (change.subject) t.subject = *change.subject;
  if (change.message) t.message = *change.message;
  CS_RETURN_IF_ERROR(CheckTexts(t.title, t.subject, t.message, clock_.NowSeconds()));
  if (change.cc_roles) {
    CS_RETURN_IF_ERROR(CheckTemplateRoles(t.signer_roles, *change.cc_roles));
    t.cc_roles = *change.cc_roles;
  }
  if (!change.field_names.empty()) {
    CS_ASSIGN_OR_RETURN(nlohmann::json fields, StoredFieldsJson(t));
    for (size_t i = 0; i < change.field_names.size(); ++i) {
      const auto& [api_id, name] = change.field_names[i];
      auto it = std::find_if(fields.begin(), fields.end(), [&](const nlohmann::json& f) {
        return f.is_object() && f.value("api_id", "") == api_id;
      });
      if (it == fields.end()) {
        return InvalidArgument("No form field of this template has this api_id",
                               "form_fields[" + std::to_string(i) + "].api_id");
      }
      (*it)["name"] = name;
    }
    t.form_fields_json = DumpJson(fields);
  }
  t.updated_at = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(store_.Update(t));
  return ViewOf(viewer, std::move(t));
}

StatusOr<TemplateView> TemplateService::ReplaceFields(const RequestViewer& viewer,
                                                      const std::string& id,
                                                      const nlohmann::json& form_fields) {
  CS_ASSIGN_OR_RETURN(Template t, Editable(viewer, id));
  CS_ASSIGN_OR_RETURN(nlohmann::json normalized,
                      NormalizeTemplateFields(form_fields, t.signer_roles));
  CS_ASSIGN_OR_RETURN(std::vector<FormField> fields, ParseFormFields(normalized));
  CS_RETURN_IF_ERROR(CheckFieldTargets(fields, t.signer_roles.size(), t.files.size()));
  CS_ASSIGN_OR_RETURN(std::vector<FormFieldGroup> groups, TemplateGroups(t));
  CS_ASSIGN_OR_RETURN(std::vector<FormFieldRule> rules, TemplateRules(t));
  CS_RETURN_IF_ERROR(CheckFieldGroups(fields, groups));
  CS_RETURN_IF_ERROR(CheckFieldRules(fields, groups, rules));
  CS_RETURN_IF_ERROR(CheckFieldPlacement(fields, PageBoxesOf(t.files)));
  t.form_fields_json = fields.empty() ? "" : DumpJson(normalized);
  t.updated_at = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(store_.Update(t));
  return ViewOf(viewer, std::move(t));
}

StatusOr<TemplateView> TemplateService::UpdateFiles(const RequestViewer& viewer,
                                                    const std::string& id, TemplateFilesInput in) {
  CS_ASSIGN_OR_RETURN(Template t, Editable(viewer, id));
  CS_RETURN_IF_ERROR(requests_.CheckDocumentSources(in.files.size(), in.file_urls.size()));
  CS_RETURN_IF_ERROR(requests_.CheckClient(viewer, in.client_id));
  const int64_t now = clock_.NowSeconds();
  CS_RETURN_IF_ERROR(
      CheckTexts(t.title, in.subject.value_or(t.subject), in.message.value_or(t.message), now));
  if (in.files.size() + in.file_urls.size() != t.files.size()) {
    return InvalidArgument(
        "Give as many files as the template has (" + std::to_string(t.files.size()) + ")",
        in.files.empty() ? "file_urls" : "files");
  }
  std::vector<std::vector<PageBox>> pages;
  CS_ASSIGN_OR_RETURN(std::vector<RequestFile> files,
                      requests_.StoreDocuments(in.files, in.file_urls, pages));
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].page_count < t.files[i].page_count) {
      return InvalidArgument(
          "The new file needs at least the " + std::to_string(t.files[i].page_count) +
              " pages of the old one",
          (in.files.empty() ? "file_urls[" : "files[") + std::to_string(i) + "]");
    }
  }
  CS_ASSIGN_OR_RETURN(std::vector<FormField> fields, TemplateFields(t));
  CS_RETURN_IF_ERROR(CheckFieldPlacement(fields, pages));
  // A new template with the new documents and the old overlay; the old one stays as it is.
  t.id = NewAccountId();
  t.files = std::move(files);
  if (in.subject) t.subject = *in.subject;
  if (in.message) t.message = *in.message;
  if (!in.client_id.empty()) t.client_id = in.client_id;
  t.created_by_client_id = viewer.token_client_id;
  t.created_at = now;
  t.updated_at = now;
  CS_RETURN_IF_ERROR(store_.Create(t, {CreatedEvent(t)}));
  return ViewOf(viewer, std::move(t));
}

StatusOr<TemplateView> TemplateService::AddUser(const RequestViewer& viewer, const std::string& id,
                                                const std::string& account_id,
                                                const std::string& email) {
  CS_ASSIGN_OR_RETURN(Template t, Editable(viewer, id));
  auto account = FindAccount(accounts_, account_id, email);
  if (!account.ok()) {
    if (account.status().code() != Code::kNotFound) return account.status();
    return InvalidArgument(
        "No account has this " + std::string(account_id.empty() ? "email address" : "account_id"),
        account_id.empty() ? "email_address" : "account_id");
  }
  if (account->id != t.account_id) {
    CS_RETURN_IF_ERROR(store_.AddShare(t.id, account->id, clock_.NowSeconds()).status());
  }
  return Get(viewer, id);
}

StatusOr<TemplateView> TemplateService::RemoveUser(const RequestViewer& viewer,
                                                   const std::string& id,
                                                   const std::string& account_id,
                                                   const std::string& email) {
  CS_ASSIGN_OR_RETURN(Template t, Editable(viewer, id));
  auto account = FindAccount(accounts_, account_id, email);
  if (account.ok()) {
    CS_RETURN_IF_ERROR(store_.RemoveShare(t.id, account->id).status());
  } else if (account.status().code() != Code::kNotFound) {
    return account.status();  // an unknown account has nothing to remove
  }
  return Get(viewer, id);
}

StatusOr<std::vector<std::string>> TemplateService::DocumentPaths(const Template& t) {
  std::vector<std::string> paths;
  for (const RequestFile& f : t.files) {
    CS_ASSIGN_OR_RETURN(std::string p, blobs_.PathOf(f.sha256));
    paths.push_back(std::move(p));
  }
  return paths;
}

}  // namespace countersign
