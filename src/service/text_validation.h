// Checks of the free texts a sender gives (titles, subjects, messages, signer names, metadata):
// well-formed UTF-8 without invisible characters that change what a reader sees. Pure
// functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign {

// Ok when `text` is valid UTF-8 (no overlong forms, surrogates or code points past U+10FFFF)
// and holds no NUL or other C0 control character (tab, CR and LF are allowed when `multiline`),
// no DEL or C1 control, and none of the bidirectional overrides and isolates U+202A-U+202E and
// U+2066-U+2069 (they reorder displayed text: "invoice<U+202E>fdp.exe"). Otherwise
// kInvalidArgument at `path`, saying what is wrong.
Status CheckPlainText(std::string_view text, const std::string& path, bool multiline = false);

// How many characters (code points) `text` holds, as a person counts them and as the limits of
// the API are stated ("at most 255 characters"): its bytes that do not continue a UTF-8 sequence.
size_t CharacterCount(std::string_view text);

}  // namespace countersign
