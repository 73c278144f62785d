// Text tags in a PDF's text: Dropbox Sign's "[sig|req|signer1]" markers that stand where a form
// field goes (docs/text-tags.md). This layer finds them and hides them; what a tag means (its
// type, signer, label) is read by service/text_tag_fields.
//
// A tag, here, is any run of text on one line that starts with '[', ends with the next ']', has
// no other bracket inside, holds at least two '|' and is at most kMaxTextTagLength characters
// long. FindTextTags reads the text as poppler lays it out (words joined on a line, so a tag set
// in several words or pieces is found whole); HideTextTags rewrites the page content streams.
// Pure functions over files; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace countersign {

inline constexpr size_t kMaxTextTagLength = 300;

struct TextTag {
  std::string text;  // the tag as written, UTF-8, e.g. "[sig|req|signer1 ]"
  int page = 1;      // 1-based
  // The tag's box: PDF points from the top-left corner of the page as displayed (crop box,
  // turned by /Rotate), as form_fields_per_document's x/y/width/height.
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

// The tags of the PDF at `pdf_path`, page by page, in reading order. Horizontal text only (as
// displayed); tags in vertical text are not found. kInvalidArgument when the file cannot be read.
StatusOr<std::vector<TextTag>> FindTextTags(const std::string& pdf_path);

// The [begin, end) character ranges of the tags in `text` (UTF-32), per the rule above.
std::vector<std::pair<size_t, size_t>> TextTagSpans(std::u32string_view text);

// Writes to `out_path` a copy of `in_path` whose page content streams no longer show the tags'
// characters, the text after a tag on the same line staying where it was (the removed glyphs'
// advance is kept as a TJ adjustment). `expected` are the tags FindTextTags found in `in_path`:
// each must be removed, or kInvalidArgument names the first that could not be ("Text tag
// \"[sig|req|signer1]\" on page 2 cannot be hidden: ..."). Supported: tags shown by Tj, TJ, '
// and " in the page content streams (not in form XObjects or annotations), in simple fonts
// (Type1, MMType1, TrueType: one-byte codes read through /ToUnicode, else their encoding's
// /Differences, else as ASCII) with known glyph widths (/Widths, or the standard Helvetica and
// Courier metrics), and in Type0 fonts with the Identity-H encoding and a /ToUnicode map (widths
// from /W and /DW), as Chrome and Skia write them. Type3 fonts and other CMaps are not.
Status HideTextTags(const std::string& in_path, const std::string& out_path,
                    const std::vector<TextTag>& expected);

}  // namespace countersign
