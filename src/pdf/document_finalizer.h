// DocumentFinalizer: turns the original documents of a completed signature request into the
// final PDF: every signature drawn (at its placement, or on signature pages appended after the
// documents), an audit-trail page, a "TEST MODE" mark on every page of test-mode requests, and
// a digital signature (PAdES, CMS detached) sealing the whole file so any later change shows.
// The input is plain data so the service layer can fill it from its own records.
// Implementations are thread-safe: Finalize may run concurrently for different requests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "pdf/pdf_text.h"

namespace countersign {

struct FinalizeDocument {
  std::string path;        // a readable, unencrypted PDF (already validated at upload)
  std::string name;        // display name, e.g. "contract.pdf"
  std::string sha256_hex;  // SHA-256 of the original file, shown on the audit page
};

// A point of a drawn signature, normalised to 0..1 in the signing pad, y pointing down.
struct StrokePoint {
  double x = 0;
  double y = 0;
};
using Stroke = std::vector<StrokePoint>;

// Where a signature goes, as Dropbox Sign's form_fields_per_document: PDF points measured from
// the top-left corner of the page as displayed.
struct SignaturePlacement {
  int document_index = 0;  // into FinalizeInput::documents
  int page = 1;            // 1-based, within that document
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

enum class SignatureKind { kTyped, kDrawn };

// What a form field of the signer shows in the final PDF, filled at completion.
enum class StampKind {
  kSignature,  // the signer's mark again (a second signature field), without caption
  kInitials,   // typed: the initials of the typed name; drawn: the strokes
  kText,       // `text` (a date, what the signer typed or chose, a merge value)
  kCheck,      // a check mark (a checked checkbox, the chosen radio button)
};

struct FieldStamp {
  SignaturePlacement at;
  StampKind kind = StampKind::kSignature;
  std::string text;                    // kText
  PdfFont font = PdfFont::kHelvetica;  // kText
  double font_size = 0;                // kText: points; 0: fit the box (at most 12); never larger
                                       // than fits the box
};

struct FinalizeSigner {
  std::string name;
  std::string email;
  int64_t signed_at = 0;  // unix seconds
  SignatureKind kind = SignatureKind::kTyped;
  std::string typed;                            // kTyped: the text the signer typed
  std::vector<Stroke> drawn;                    // kDrawn: the pad strokes
  std::optional<SignaturePlacement> placement;  // none: drawn on a signature page
  std::vector<FieldStamp> fields;               // more of the signer's fields, drawn in place
};

struct AuditEvent {
  int64_t time = 0;    // unix seconds
  std::string action;  // "sent", "viewed", "signed", ...
  std::string actor_email;
  std::string ip_address;
  std::string user_agent;
};

struct FinalizeInput {
  std::string request_id;
  std::string title;
  bool test_mode = false;
  int64_t completed_at = 0;  // unix seconds; also the signing time of the seal
  std::vector<FinalizeDocument> documents;
  std::vector<FinalizeSigner> signers;
  std::vector<FieldStamp> sender_fields;  // the merge fields' values: kText or kCheck only
  std::vector<AuditEvent> events;
};

// Checks what can be checked without opening the documents: at least one document and one
// signer, each signer with a non-empty signature (typed text, or strokes of finite points, at
// most kMaxSignaturePoints in all), each placement and field stamp naming an existing document,
// a page >= 1 and a box of positive size at non-negative coordinates. kInvalidArgument naming
// the signer.
Status ValidateFinalizeInput(const FinalizeInput& input);

inline constexpr size_t kMaxSignaturePoints = 20000;

class DocumentFinalizer {
 public:
  virtual ~DocumentFinalizer() = default;

  // Writes the final, sealed PDF to `out_path` (replaced atomically: a temporary file in the
  // same folder is renamed over it). Pages: every page of every document in order, then one or
  // more signature pages when some signer has no placement, then the audit-trail page(s).
  // kInvalidArgument (with a message naming the signer) for a missing or empty signature, or a
  // placement naming a document or page that does not exist or reaching outside the page;
  // kInternal when a document cannot be read or the output cannot be written or signed.
  virtual Status Finalize(const FinalizeInput& input, const std::string& out_path) = 0;
};

}  // namespace countersign
