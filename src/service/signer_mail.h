// Signing order and the emails signers receive. Pure functions apart from the random secret
// in each signing link; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/signature_request_records.h"
#include "store/mail_queue_store.h"

namespace countersign {

// The order a signer signs in: its `order` when the request gives orders, else 0 (everyone at
// once). A signer without an order in a request that has orders signs at its position.
int64_t EffectiveOrder(const SignatureRequest& request, const Signature& signer);

// Positions of the signers awaiting signature whose turn it is (the lowest effective order
// among those still awaiting).
std::vector<size_t> SignersWhoseTurnItIs(const SignatureRequest& request);

enum class SignerMailKind { kRequest, kReminder };

// Builds the mail asking `signer` to sign, with a fresh secret link
// `<base_url>/sign/<signature_id>?t=<secret>`, and sets `signer.access_hash` to the secret's
// SHA-256 (so any earlier link stops working).
QueuedMail SignerMail(const SignatureRequest& request, Signature& signer,
                      const std::string& base_url, int64_t now, SignerMailKind kind);

// `text` escaped for HTML with ctemplate's own escaper.
std::string HtmlEscape(const std::string& text);

}  // namespace countersign
