// Validation of a drawn signature as the signing form POSTs it (the hidden `strokes` field that
// /static/sign.js fills): JSON [[[x,y],...],...] with coordinates normalised to 0..1. Pure;
// thread-safe.
#pragma once

#include <string_view>

namespace countersign {

// True when `text` is 1..200 strokes of 1..2000 points, each [x, y] with both numbers in
// [0, 1], in at most 512 KiB of JSON. False for anything else (never throws).
bool ValidStrokes(std::string_view text);

}  // namespace countersign
