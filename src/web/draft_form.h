// A draft's prepare page (draft.html) and what its POST does, shared by the two ways a sender
// reaches it: the web app (/drafts/{id}, draft_pages.cc: the Send page's "Place fields", or an
// unclaimed draft's claim_url) and hellosign-embedded's frame
// (/prep-and-send/embedded-request, embedded_draft_pages.cc). The page is the Send form's
// fields (web/send_form) plus the field editor (web/field_editor) over the draft's pages.
#pragma once

#include <string>

#include "http/message.h"
#include "service/draft_service.h"
#include "web/form_target.h"
#include "web/page_context.h"

namespace countersign::web {

// Where the form posts and what the page around it is, and where the draft's page images are:
// image_prefix + "f/p.png" + image_suffix.
struct DraftFormTarget : FormTarget {
  std::string image_prefix;
  std::string image_suffix;
};

// The prepare page for `view`. With `posted`, the form shows what was posted (refused) instead
// of the draft's values. `notice` / `error` may be empty.
http::Response DraftForm(PageContext& page, const DraftView& view, const DraftFormTarget& target,
                         int http_status, const std::string& notice, const std::string& error,
                         bool posted);

// Saves the posted form into the draft and, for action=send, sends it (the request in `sent`).
// Returns the action done, "save" or "send". kInvalidArgument / kPermissionDenied carry a message
// to show on the form again; other errors are for the error page.
StatusOr<std::string> ActOnDraftForm(PageContext& page, const RequestViewer& viewer,
                                     const std::string& draft_id, SignatureRequest* sent);

}  // namespace countersign::web
