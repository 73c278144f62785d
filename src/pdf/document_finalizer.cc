#include "pdf/document_finalizer.h"

#include <cmath>
#include <string>

namespace countersign {

namespace {

bool AllFinite(std::initializer_list<double> values) {
  for (double v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

bool HasText(const std::string& s) { return s.find_first_not_of(" \t\r\n") != std::string::npos; }

Status CheckPlacement(const SignaturePlacement& at, size_t document_count, const std::string& who) {
  if (at.document_index < 0 || static_cast<size_t>(at.document_index) >= document_count) {
    return InvalidArgument(who + ": the signature is placed on a document that does not exist.");
  }
  if (at.page < 1) {
    return InvalidArgument(who + ": the signature is placed on a page that does not exist.");
  }
  if (!AllFinite({at.x, at.y, at.width, at.height}) || at.width <= 0 || at.height <= 0 ||
      at.x < 0 || at.y < 0) {
    return InvalidArgument(who + ": the signature is placed outside the page.");
  }
  return Status::Ok();
}

Status CheckSigner(const FinalizeSigner& signer, size_t document_count, const std::string& who) {
  if (signer.kind == SignatureKind::kTyped) {
    if (!HasText(signer.typed)) return InvalidArgument(who + ": the typed signature is empty.");
  } else {
    size_t points = 0;
    for (const Stroke& stroke : signer.drawn) {
      for (const StrokePoint& p : stroke) {
        if (!AllFinite({p.x, p.y})) {
          return InvalidArgument(who + ": the drawn signature has an invalid point.");
        }
      }
      points += stroke.size();
    }
    if (points == 0) return InvalidArgument(who + ": the drawn signature is empty.");
    if (points > kMaxSignaturePoints) {
      return InvalidArgument(who + ": the drawn signature has too many points.");
    }
  }
  if (signer.placement) CS_RETURN_IF_ERROR(CheckPlacement(*signer.placement, document_count, who));
  for (const FieldStamp& field : signer.fields) {
    CS_RETURN_IF_ERROR(CheckPlacement(field.at, document_count, who));
  }
  return Status::Ok();
}

}  // namespace

Status ValidateFinalizeInput(const FinalizeInput& input) {
  if (input.documents.empty()) return InvalidArgument("There is no document to finalise.");
  if (input.signers.empty()) return InvalidArgument("There is no signer.");
  for (size_t i = 0; i < input.signers.size(); ++i) {
    const FinalizeSigner& signer = input.signers[i];
    std::string who = "Signer " + std::to_string(i + 1) + " (" + signer.email + ")";
    CS_RETURN_IF_ERROR(CheckSigner(signer, input.documents.size(), who));
  }
  for (const FieldStamp& field : input.sender_fields) {
    if (field.kind != StampKind::kText && field.kind != StampKind::kCheck) {
      return InvalidArgument("A merge field can only hold text or a check.");
    }
    CS_RETURN_IF_ERROR(CheckPlacement(field.at, input.documents.size(), "A merge field"));
  }
  return Status::Ok();
}

}  // namespace countersign
