// Records of signature requests: the request, its files and its signatures. Plain data; the
// SignatureRequestService owns every rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace countersign {

// A page's size as displayed (crop box turned by /Rotate), in PDF points.
struct DisplayedPageSize {
  double width = 0;
  double height = 0;
};

struct RequestFile {
  std::string name;    // file name as uploaded, or taken from the URL
  std::string sha256;  // the blob holding the bytes
  int64_t size = 0;
  int page_count = 0;
  // One per page; empty for a file stored before page sizes were recorded.
  std::vector<DisplayedPageSize> page_sizes;
};

// The displayed size of page `page_index` (0-based) of `file`; US Letter for a file stored
// before page sizes were recorded.
inline DisplayedPageSize PageSizeOf(const RequestFile& file, int page_index) {
  return static_cast<size_t>(page_index) < file.page_sizes.size() ? file.page_sizes[page_index]
                                                                  : DisplayedPageSize{612, 792};
}

struct Signature {
  std::string signature_id;  // 32 hex
  int position = 0;          // index in the request's signer list
  std::optional<int> order;  // signing order as given (0-based), if any
  std::string name;
  std::string email;     // lower-cased
  std::string pin_hash;  // argon2id of the signer PIN, empty when none
  std::string status_code = "awaiting_signature";
  int64_t signed_at = 0;
  int64_t last_viewed_at = 0;
  int64_t last_reminded_at = 0;
  std::string decline_reason;
  std::string access_hash;     // SHA-256 of the secret in the signer's link; empty until mailed
  std::string signature_kind;  // "typed" or "drawn" once signed
  std::string signature_data;  // the typed name, or the strokes as JSON
  std::string signer_ip;       // where the signer signed or declined from
  std::string signer_user_agent;
  // What the signer filled in their form fields: a JSON object from api_id to the value as
  // text ("" until signed; service/field_values.h reads it).
  std::string field_values_json;
  std::string role;  // the template's signer role it was sent for; empty when none
};

// One line of a request's audit trail.
struct AuditEntry {
  int64_t at = 0;
  std::string action;  // "sent", "viewed", "signed", "declined", "completed", ...
  std::string actor_email;
  std::string ip;
  std::string user_agent;
};

enum class FinalState { kNone = 0, kPending = 1, kReady = 2, kFailed = 3 };

struct SignatureRequest {
  std::string id;          // 40 hex
  std::string account_id;  // the requester
  std::string requester_email;
  std::string client_id;             // the app the request belongs to (branding, callbacks)
  std::string created_by_client_id;  // the app whose token created it; empty for the API key
  std::string title;
  std::string original_title;
  std::string subject;
  std::string message;
  std::string metadata_json = "{}";
  bool test_mode = false;
  bool allow_decline = false;
  bool allow_reassign = false;
  // Created with create_embedded: signed inside the app's page (hellosign-embedded) through a
  // sign_url the sender asks for; its signers are never mailed a link.
  bool embedded = false;
  std::string signing_options_json;  // JSON object text, or empty
  std::string field_options_json;
  std::string form_fields_json;  // form_fields_per_document, JSON array text, or empty
  // custom_fields as sent ([{name, value, required, editor}], JSON array text), or empty: the
  // values of the text-merge / checkbox-merge fields.
  std::string custom_fields_json;
  // form_field_groups as checked at send (JSON array text), or empty.
  std::string form_field_groups_json;
  // form_field_rules as checked at send (JSON array text), or empty.
  std::string form_field_rules_json;
  std::string signing_redirect_url;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // 0: never
  bool is_complete = false;
  bool is_declined = false;
  bool has_error = false;
  int64_t canceled_at = 0;  // 0 while not canceled
  int64_t expired_at = 0;   // when the expiry sweep closed it; 0 while not expired
  FinalState final_state = FinalState::kNone;
  std::string final_sha256;  // the blob of the final PDF when ready
  std::vector<std::string> cc_emails;
  std::vector<std::string> template_ids;  // the templates it was sent from, in order
  std::vector<RequestFile> files;
  std::vector<Signature> signatures;
};

// The folders of the web app's Documents page (issue 15). Open: neither complete, declined,
// canceled nor expired. kAll is what the API lists (everything but canceled requests).
enum class RequestBox {
  kAll,
  kWaitingForMe,      // open, and a signature with the account's email awaits signing
  kWaitingForOthers,  // open, sent by the account
  kCompleted,
  kDeclined,
  kCanceled,
  kExpired,
};

// Which requests a caller may list, and the parsed `query` of /signature_request/list.
struct RequestListFilter {
  std::string account_id;
  // Only requests created through this app's token; nullopt: everything the account sees.
  std::optional<std::string> created_by_client_id;
  // Only requests the account sent (not those it received as a signer).
  bool sent_only = false;
  std::vector<std::string> title_terms;  // title contains each
  std::vector<std::string> to_emails;    // a signer's email is one of these
  std::vector<std::string> from_emails;  // the requester's email is one of these
  std::vector<std::string> words;  // each word in title, subject, message, signer names/emails
  RequestBox box = RequestBox::kAll;
  std::string viewer_email;  // for kWaitingForMe
  int64_t now = 0;           // for the open / expired boxes
  int64_t offset = 0;
  int limit = 20;
};

struct RequestPage {
  std::vector<SignatureRequest> requests;
  int64_t total = 0;
};

}  // namespace countersign
