// /v3/template… (issue 13, docs/templates.md), POST /v3/signature_request/send_with_template
// and the public download route behind template files_as_file_url. Handlers parse, call
// TemplateService and render with wire/template_render. Registered at start-up; thread-safe.
#pragma once

#include "api/auth.h"
#include "core/public_url.h"
#include "files/blob_store.h"
#include "http/router.h"
#include "pdf/pdf_inspector.h"
#include "service/file_url_signer.h"
#include "service/template_service.h"

namespace countersign::api {

struct TemplateApiContext {
  TemplateService& templates;
  ApiAuthenticator& auth;
  PdfInspector& pdf;
  BlobStore& blobs;  // temp files for merged downloads
  const FileUrlSigner& url_signer;
  const PublicUrl& public_url;
};

// Every /v3/template route, send_with_template, and the file routes below.
void RegisterTemplateRoutes(http::Router& router, TemplateApiContext& ctx);
// GET /v3/template/files*, and GET /template_files/{id} (signed links).
void RegisterTemplateFileRoutes(http::Router& router, TemplateApiContext& ctx);

// The id a template's signed download link signs: never a signature request's, so a link to
// one cannot open the other.
std::string TemplateLinkId(const std::string& template_id);

}  // namespace countersign::api
