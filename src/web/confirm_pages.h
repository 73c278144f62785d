// Email confirmation pages (docs/account-creation.md): the emailed link
// (GET|POST /account/confirm), asking for a new link (POST /account/confirm/resend), and the
// page shown instead of the consent page to an account whose email is not confirmed yet.
// Same thread-safety as web_routes.h.
#pragma once

#include <string>

#include "http/router.h"
#include "web/page_context.h"
#include "web/web_routes.h"

namespace countersign::web {

// GET|POST /account/confirm, POST /account/confirm/resend.
void RegisterConfirmPages(http::Router& router, WebContext& web);

// The 403 page telling the logged-in, unconfirmed account to confirm its email first, with a
// "Resend the confirmation email" button. `what` says what needs confirming ("Before you can
// authorize apps, confirm your email address.").
http::Response ConfirmFirstPage(PageContext& page, const std::string& what);

}  // namespace countersign::web
