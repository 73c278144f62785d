// The signer's pages, reached through the emailed link `/sign/<signature_id>?t=<secret>`.
#pragma once

#include <string_view>

#include "http/router.h"
#include "web/web_routes.h"

namespace countersign::web {

// GET|POST /sign/{signature_id}, GET /sign/{signature_id}/done,
// GET /sign/{signature_id}/page/{file_index}/{page}.png and GET /static/sign.js. Registers
// nothing unless web.signing and web.blobs are set.
void RegisterSigningPages(http::Router& router, WebContext& web);

// The signature pad script served at /static/sign.js (the CSP forbids inline scripts).
std::string_view SignScript();
// The signing page's extra styles, served at /static/sign.css.
std::string_view SignStyleSheet();

}  // namespace countersign::web
