// Records of drafts (issue 15): a send that is prepared but not sent yet. An unclaimed draft
// (POST /v3/unclaimed_draft/*) waits for someone to open its claim_url; the web app's Send
// page keeps what the sender uploaded as a draft while fields are placed. Plain data;
// DraftService owns every rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/signature_request_records.h"

namespace countersign {

struct Draft {
  std::string id;  // 40 hex; never shown to API callers (they get the claim_url)
  // The id the signature request gets when the draft is sent; reported at creation as
  // unclaimed_draft.signature_request_id.
  std::string signature_request_id;
  std::string account_id;  // who created it (the API caller, or the web app's sender)
  // Who claimed it: the account that opened the claim_url (or the web sender); "" until then.
  // Only this account may see, change or send it.
  std::string claimed_by;
  std::string client_id;             // the app given at creation ("" none)
  std::string created_by_client_id;  // the app whose token created it; "" for the API key
  std::string type;                  // "request_signature" or "send_document"
  bool embedded = false;             // claimable only through hellosign-embedded
  std::string requester_email;       // create_embedded*: requester_email_address
  bool from_template = false;        // body is send_with_template's (template_ids, roles)
  bool test_mode = false;
  // The parameters of the send as the API takes them (RequestFields' object, files removed):
  // signature_request/send's, or send_with_template's when from_template. Read back through
  // DraftBodyReader, so a draft is read exactly as a send call with that body would be.
  std::string body_json = "{}";
  std::vector<RequestFile> files;  // the uploaded documents, blobs in the BlobStore
  std::string signing_redirect_url;
  std::string requesting_redirect_url;
  std::string claim_token_hash;  // SHA-256 hex of the claim_url's token
  // Embedded drafts: SHA-256 hex of the secret that the page opened from the claim_url carries
  // in its later requests (a cross-site frame has no session); "" until opened.
  std::string page_secret_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // the claim_url's expiry
  std::optional<int64_t> sent_at;
};

}  // namespace countersign
