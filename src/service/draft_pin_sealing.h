// SealStoredDraftPins: drafts stored before signer PINs were sealed (draft_body.h,
// SealSignerPins) may still hold a PIN in the clear; this seals them in place. A maintenance
// pass over the drafts table (Housekeeping runs it once per start): it reads the bodies that
// contain `"pin":` in pages of `batch`, and replaces a body only while it is unchanged, so a
// draft edited meanwhile is left to that edit, which seals it itself. Every instance may run it.
// Thread-safe as DraftStore.
#pragma once

#include "core/status.h"
#include "store/draft_store.h"

namespace countersign {

// Returns how many drafts it sealed.
StatusOr<int> SealStoredDraftPins(DraftStore& drafts, int batch = 100);

}  // namespace countersign
