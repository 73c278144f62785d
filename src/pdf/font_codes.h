// FontCodes: what HideTextTags needs to know of a font a page shows text with: how its strings
// split into codes, which character each code shows and how wide its glyph is. Simple fonts
// (Type1, MMType1, TrueType: one-byte codes) and Type0 fonts with the Identity-H encoding
// (two-byte codes, CIDs = codes), built from the font dictionary. A value type,
// thread-compatible.
#pragma once

#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4  // qpdf 11 without PointerHolder; before every qpdf header
#endif

#include <qpdf/QPDFObjectHandle.hh>
#include <string>
#include <unordered_map>

#include "core/status.h"

namespace countersign {

class FontCodes {
 public:
  // The font of dictionary `font`. kInvalidArgument (the reason, e.g. "its font F1 is a Type3
  // font") for a font of another kind or whose glyph widths are unknown; `name` is the font's
  // resource name, for that message.
  static StatusOr<FontCodes> From(QPDFObjectHandle font, const std::string& name);

  // Bytes per code: 1 for a simple font, 2 for Identity-H.
  size_t code_bytes() const { return code_bytes_; }

  // The Unicode character `code` shows: from /ToUnicode when the font has one, else (simple
  // fonts) from its /Encoding's /Differences glyph names, else ASCII / Latin-1. U+FFFD when
  // unknown (a Type0 font without /ToUnicode knows none).
  char32_t Decode(uint32_t code) const;

  // The glyph's advance in thousandths of the font size (/Widths and /MissingWidth, /W and /DW,
  // or the standard Helvetica / Courier metrics for a standard font without /Widths).
  double Width(uint32_t code) const;

 private:
  size_t code_bytes_ = 1;
  std::unordered_map<uint32_t, char32_t> chars_;
  std::unordered_map<uint32_t, double> widths_;
  double default_width_ = 0;
};

}  // namespace countersign
