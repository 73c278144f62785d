// /v3/unclaimed_draft/create, create_embedded, create_embedded_with_template and
// edit_and_resend/{signature_request_id} (issue 15, docs/unclaimed-drafts.md). Handlers parse
// the body as signature_request/send (send_with_template) does, call DraftService and answer
// {unclaimed_draft: ...}. Registered at start-up; thread-safe.
#pragma once

#include "api/auth.h"
#include "http/router.h"
#include "service/draft_service.h"

namespace countersign::api {

struct UnclaimedDraftApiContext {
  DraftService& drafts;
  ApiAuthenticator& auth;
};

void RegisterUnclaimedDraftRoutes(http::Router& router, UnclaimedDraftApiContext& ctx);

}  // namespace countersign::api
