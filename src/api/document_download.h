// Downloading documents, shared by /v3/signature_request/files* and /v3/template/files*:
// the documents as one PDF (merged when there are several) or a ZIP of each, as a data URI, and
// the binary response with the headers that keep a hostile PDF from acting as this site.
// Thread-safe (stateless; temp files in the BlobStore's temp folder).
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "files/blob_store.h"
#include "http/message.h"
#include "pdf/pdf_inspector.h"

namespace countersign::api {

// The bytes of the file at `path`.
StatusOr<std::string> ReadWholeFile(const std::string& path);

// A file name safe in a Content-Disposition header, ending with `extension` ("" for none).
std::string SafeName(const std::string& title, const char* extension);

// The documents at `paths` as one PDF: the file itself when there is one, else merged.
StatusOr<std::string> MergedPdf(PdfInspector& pdf, BlobStore& blobs,
                                const std::vector<std::string>& paths);

// A ZIP of `paths`, each named "<n>-<name>.pdf" from `names` (one per path).
StatusOr<std::string> NumberedZip(BlobStore& blobs, const std::vector<std::string>& paths,
                                  const std::vector<std::string>& names);
// A ZIP of one file at `path` named `name`.
StatusOr<std::string> SingleZip(BlobStore& blobs, const std::string& path, const std::string& name);

// "data:application/pdf;base64,..." for `pdf`.
std::string PdfDataUri(const std::string& pdf);

// 200 with `body` of Content-Type `type`, as an attachment (or inline) named `filename`.
http::Response Binary(std::string body, const char* type, const std::string& filename,
                      bool attachment);

}  // namespace countersign::api
