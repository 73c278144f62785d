// The audit-trail page(s) of a finalised document: request id, title, completion time, the
// seal statement naming the signing certificate, each original document with its SHA-256,
// the signers, and every event with its UTC time, action, actor email, IP address and user
// agent. Text is laid out in the standard fonts and flows onto further pages as needed.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "pdf/content_stream.h"
#include "pdf/document_finalizer.h"

namespace countersign {

// Content of the audit-trail pages (kAddedPageWidth x kAddedPageHeight, display coordinates,
// at least one), each with a "page n of N" footer. `seal_subject` is the subject of the
// certificate that seals the document.
std::vector<ContentStream> LayoutAuditTrail(const FinalizeInput& input,
                                            const std::string& seal_subject);

}  // namespace countersign
