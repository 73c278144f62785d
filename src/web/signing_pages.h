// The signer's pages, reached through the emailed link `/sign/<signature_id>?t=<secret>`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"
#include "model/signature_request_records.h"
#include "web/web_routes.h"

namespace countersign::web {

// GET|POST /sign/{signature_id}, GET /sign/{signature_id}/done,
// GET /sign/{signature_id}/page/{file_index}/{page}.png and GET /static/sign.js. Registers
// nothing unless web.signing, web.blobs and web.previews are set.
void RegisterSigningPages(http::Router& router, WebContext& web);

// GET /sign/{signature_id}/page/{file_index}/{page}.png: one page image, for a signer whose
// link is valid and who gave their PIN when they have one (signing_page_images.cc).
http::Response SignerPageImage(WebContext& web, http::Request& request);

// One page image of `files` for the path parameters `file_index` and `page` ("<n>.png"), through
// PagePreviews: plain-text 404 / 500 errors, 503 + Retry-After when every render slot is busy.
// The caller has checked that the viewer may see the files (signing_page_images.cc).
http::Response DocumentPageImage(WebContext& web, const std::vector<RequestFile>& files,
                                 std::string_view file_index, std::string_view page);

// The pass a signer got for the right PIN (the cs_pin cookie), or "".
std::string SignerPinPass(const http::Request& request);

// The signature pad script served at /static/sign.js (the CSP forbids inline scripts).
std::string_view SignScript();
// The signing page's extra styles, served at /static/sign.css.
std::string_view SignStyleSheet();

}  // namespace countersign::web
