// Internal to web/: each page family registers its own routes. RegisterWebRoutes
// (web_routes.h) calls all of them. Same thread-safety as web_routes.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"
#include "web/web_routes.h"

namespace countersign::web {

// GET /, GET|POST /signup, GET|POST /login, POST /logout.
void RegisterAuthPages(http::Router& router, WebContext& web);
// GET /home, GET /settings, POST /settings/api_key.
void RegisterSettingsPages(http::Router& router, WebContext& web);
// GET /apps, GET /apps/new, POST /apps, GET /apps/{client_id}, POST …/secret, POST …/delete.
void RegisterAppPages(http::Router& router, WebContext& web);
// GET|POST /oauth/authorize.
void RegisterConsentPages(http::Router& router, WebContext& web);
// GET /account/apps, POST /account/apps/{client_id}/revoke.
void RegisterAuthorizedAppsPages(http::Router& router, WebContext& web);
// GET /apps/{client_id}/deliveries and /account/deliveries, POST …/{delivery_id}/resend and
// …/test.
void RegisterCallbackPages(http::Router& router, WebContext& web);
// GET /documents, GET /requests/{id} and its POST actions (remind, cancel, sign now)
// (documents_pages.cc). Registers nothing unless web.requests and web.signing are set.
void RegisterDocumentPages(http::Router& router, WebContext& web);
// GET|POST /send and GET /static/send.js (send_pages.cc). Registers nothing unless
// web.requests is set.
void RegisterSendPages(http::Router& router, WebContext& web);
std::string_view SendScript();
// GET /operator, POST /operator/apps/{client_id}/approval and
// /operator/accounts/{account_id}/lock (operator_pages.cc): 404 pages for non-operators.
void RegisterOperatorPages(http::Router& router, WebContext& web);
// The request page's script: reloads the page when the request changed (documents_pages.cc).
std::string_view RequestScript();
// GET|POST /editor/embeddedSign and GET /static/embedded.js (embedded_sign_pages.cc). Registers
// nothing unless web.signing and web.embedded are set.
void RegisterEmbeddedSignPages(http::Router& router, WebContext& web);
// The embedded page's side of hellosign-embedded's postMessage protocol (embedded_script.cc).
std::string_view EmbeddedScript();

// GET /templates, GET|POST /templates/new, POST /templates/{id}/delete, GET|POST
// /templates/{id}/send (template_pages.cc), and the editor's routes (RegisterTemplateEditor).
// Registers nothing unless web.templates, web.requests, web.blobs and web.previews are set.
void RegisterTemplatePages(http::Router& router, WebContext& web);
// GET /templates/{id}, POST /templates/{id}/fields, GET /templates/{id}/page/{file_index}/
// {page}.png, /static/template-editor.js and .css (template_editor.cc).
void RegisterTemplateEditor(http::Router& router, WebContext& web);
// GET /send/claim, GET|POST /drafts/{id}, GET /drafts/{id}/page/{file_index}/{page}.png
// (draft_pages.cc). Registers nothing unless web.drafts, web.requests, web.blobs and
// web.previews are set.
void RegisterDraftPages(http::Router& router, WebContext& web);
// GET|POST /prep-and-send/embedded-request and its page images (embedded_draft_pages.cc).
// Registers nothing unless web.drafts, web.blobs and web.previews are set.
void RegisterEmbeddedDraftPages(http::Router& router, WebContext& web);
// The field editor's script and styles (template_editor_script.cc).
std::string_view TemplateEditorScript();
std::string_view TemplateEditorStyleSheet();

}  // namespace countersign::web
