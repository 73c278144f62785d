// /v3/signature_request… (CONTRACT.md §6, docs/signature-requests.md) and the public download
// route behind files_as_file_url. Handlers parse, call SignatureRequestService and render.
// Registered at start-up; thread-safe.
#pragma once

#include "api/auth.h"
#include "core/public_url.h"
#include "files/blob_store.h"
#include "http/router.h"
#include "pdf/pdf_inspector.h"
#include "service/embedded_signing.h"
#include "service/file_url_signer.h"
#include "service/signature_request_service.h"

namespace countersign::api {

struct SignatureRequestApiContext {
  SignatureRequestService& requests;
  EmbeddedSigning& embedded;
  ApiAuthenticator& auth;
  PdfInspector& pdf;
  BlobStore& blobs;  // temp files for merged downloads
  const FileUrlSigner& url_signer;
  const PublicUrl& public_url;
};

void RegisterSignatureRequestRoutes(http::Router& router, SignatureRequestApiContext& ctx);
// GET /v3/embedded/sign_url/{signature_id} (embedded_handlers.cc; create_embedded is a send).
void RegisterEmbeddedRoutes(http::Router& router, SignatureRequestApiContext& ctx);
// GET /v3/signature_request/files*, and GET /files/{id} (signed links).
void RegisterSignatureRequestFileRoutes(http::Router& router, SignatureRequestApiContext& ctx);

}  // namespace countersign::api
