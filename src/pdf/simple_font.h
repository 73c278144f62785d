// SimpleFont: what HideTextTags needs to know of a page's simple font (Type1, MMType1,
// TrueType): which character each one-byte code shows and how wide its glyph is. Built from the
// font dictionary; a value type, thread-compatible.
#pragma once

#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4  // qpdf 11 without PointerHolder; before every qpdf header
#endif

#include <array>
#include <optional>
#include <qpdf/QPDFObjectHandle.hh>
#include <string>

#include "core/status.h"

namespace countersign {

class SimpleFont {
 public:
  // The font of dictionary `font`. kInvalidArgument (the reason, e.g. "its font F1 is a Type0
  // (CID) font") for a font that is not simple or whose glyph widths are unknown; `name` is the
  // font's resource name, for that message.
  static StatusOr<SimpleFont> From(QPDFObjectHandle font, const std::string& name);

  // The Unicode character `code` shows: from /ToUnicode when the font has one, else from its
  // /Encoding's /Differences (glyph names), else ASCII / Latin-1. U+FFFD when unknown.
  char32_t Decode(unsigned char code) const { return chars_[code]; }

  // The glyph's advance in thousandths of the font size (/Widths, /MissingWidth, or the
  // standard Helvetica / Courier metrics for a standard font without /Widths).
  double Width(unsigned char code) const { return widths_[code]; }

 private:
  std::array<char32_t, 256> chars_{};
  std::array<double, 256> widths_{};
};

}  // namespace countersign
