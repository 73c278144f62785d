// Records of templates (issue 13): documents, signer and CC roles, merge fields and form fields
// kept to send signature requests from later. Plain data; TemplateService owns every rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/signature_request_records.h"

namespace countersign {

// A signer role (SubTemplateRole): who signs, named when the template is used.
struct TemplateRole {
  std::string name;
  std::optional<int> order;  // signing order as given (0-based), if any
};

// A merge field (SubMergeField): a value the sender gives through custom_fields at send time.
struct TemplateMergeField {
  std::string name;
  std::string type;  // "text" or "checkbox"
};

struct Template {
  std::string id;                    // 40 hex, like Dropbox Sign template ids
  std::string account_id;            // the owner (creator)
  std::string client_id;             // the app given at creation ('' none)
  std::string created_by_client_id;  // the app whose token created it; '' for the API key
  std::string title;
  std::string subject;
  std::string message;
  std::string metadata_json = "{}";
  bool test_mode = false;
  bool allow_reassign = false;
  // In signing order when orders were given (TemplateService sorts them).
  std::vector<TemplateRole> signer_roles;
  std::vector<std::string> cc_roles;
  std::vector<TemplateMergeField> merge_fields;
  // form_fields_per_document as stored: a JSON array whose `signer` is the 0-based index of a
  // signer role as text, or "sender" for merge fields; "" when none.
  std::string form_fields_json;
  std::string form_field_groups_json;  // JSON array text, or ""
  std::string form_field_rules_json;   // JSON array text, or ""
  std::string field_options_json;      // JSON object text, or ""
  std::vector<RequestFile> files;      // the documents, blobs in the BlobStore
  // Accounts the owner shared the template with (add_user), in the order they were added.
  std::vector<std::string> shared_account_ids;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Which templates a caller may list (/template/list).
struct TemplateListFilter {
  std::string account_id;
  // Of the account's own templates, only those created through this app's token; templates
  // shared with the account are listed either way. nullopt: every own template.
  std::optional<std::string> created_by_client_id;
  std::vector<std::string> title_words;  // the title contains each (ignoring case)
  int64_t offset = 0;
  int limit = 20;
};

struct TemplatePage {
  std::vector<Template> templates;
  int64_t total = 0;
};

}  // namespace countersign
