// Drawing of signatures onto pages: the signer's mark (typed name in Helvetica-Oblique, or the
// pad strokes as a stroked path) with name, email and UTC signing date under it, either at a
// signer's placement on an original page or in a block on the appended signature pages; and
// the "TEST MODE" banner of test-mode requests.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "pdf/content_stream.h"
#include "pdf/document_finalizer.h"

namespace countersign {

inline constexpr char kTestModeText[] = "TEST MODE \u2014 not legally binding";

// Draws `signer`'s mark to fit the w x h box whose bottom-left corner is (x, y) in `out`'s
// current coordinates.
void DrawSignatureMark(const FinalizeSigner& signer, double x, double y, double w, double h,
                       ContentStream& out);

// Draws the signature of `signer` (which must have a placement, already checked to lie inside
// the page) onto a page of `frame`, with a small caption under the box (above it, or inside it,
// when the page has no room below).
void DrawPlacedSignature(const FinalizeSigner& signer, const PageFrame& frame, ContentStream& out);

// Draws one more of `signer`'s fields (`field`, already checked to lie inside the page) onto a
// page of `frame`: the mark again, the initials, or the text, fitted to the field's box.
void DrawFieldStamp(const FinalizeSigner& signer, const FieldStamp& field, const PageFrame& frame,
                    ContentStream& out);

// Draws the red "TEST MODE — not legally binding" banner at the top of a page of `frame`.
void DrawTestModeMark(const PageFrame& frame, ContentStream& out);

// The content of the signature pages (kAddedPageWidth x kAddedPageHeight, display coordinates)
// holding one block per signer of `signers`, in order.
std::vector<ContentStream> LayoutSignaturePages(const FinalizeInput& input,
                                                const std::vector<const FinalizeSigner*>& signers);

}  // namespace countersign
