// Finding text tags with poppler-cpp's text layout (page::text_list).
#include "pdf/text_tags.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace countersign {

namespace {

// One character of a line: its code point and its glyph box (empty for a space poppler added
// between words).
struct LineChar {
  char32_t c = 0;
  poppler::rectf box;
  bool has_box = false;
};

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Whether `next` continues the line of `prev`: horizontal, overlapping vertically by at least
// half the smaller height, and not starting before `prev` ends (less a little slack).
bool SameLine(const poppler::rectf& prev, const poppler::rectf& next) {
  const double top = std::max(prev.top(), next.top());
  const double bottom = std::min(prev.bottom(), next.bottom());
  const double smaller = std::min(prev.height(), next.height());
  if (smaller <= 0 || bottom - top < smaller / 2) return false;
  return next.left() >= prev.right() - smaller / 2;
}

// The characters of `box`, each with its glyph box (the word's box when poppler has none).
void AppendBox(const poppler::text_box& box, std::vector<LineChar>& line) {
  poppler::ustring text = box.text();
  const poppler::rectf word = box.bbox();
  size_t glyph = 0;
  for (size_t i = 0; i < text.size(); ++i, ++glyph) {
    char32_t c = text[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < text.size()) {  // a surrogate pair
      c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
      ++i;
    }
    poppler::rectf r = box.char_bbox(glyph);
    if (r.width() <= 0 && r.height() <= 0) r = word;
    line.push_back({c, r, true});
  }
}

void TagsOfLine(const std::vector<LineChar>& line, int page, std::vector<TextTag>& out) {
  std::u32string text;
  text.reserve(line.size());
  for (const LineChar& ch : line) text += ch.c;
  for (auto [begin, end] : TextTagSpans(text)) {
    TextTag tag;
    tag.page = page;
    double left = 1e300, top = 1e300, right = -1e300, bottom = -1e300;
    for (size_t i = begin; i < end; ++i) {
      AppendUtf8(tag.text, line[i].c);
      if (!line[i].has_box) continue;
      left = std::min(left, line[i].box.left());
      top = std::min(top, line[i].box.top());
      right = std::max(right, line[i].box.right());
      bottom = std::max(bottom, line[i].box.bottom());
    }
    tag.x = std::max(0.0, left);
    tag.y = std::max(0.0, top);
    tag.width = right - tag.x;
    tag.height = bottom - tag.y;
    out.push_back(std::move(tag));
  }
}

}  // namespace

std::vector<std::pair<size_t, size_t>> TextTagSpans(std::u32string_view text) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != U'[') {
      ++i;
      continue;
    }
    size_t pipes = 0;
    size_t j = i + 1;
    for (; j < text.size() && j - i < kMaxTextTagLength; ++j) {
      if (text[j] == U'[' || text[j] == U']' || text[j] == U'\n') break;
      if (text[j] == U'|') ++pipes;
    }
    if (j < text.size() && text[j] == U']' && pipes >= 2) {
      out.emplace_back(i, j + 1);
      i = j + 1;
    } else {
      i = j < text.size() && text[j] == U'[' ? j : i + 1;
    }
  }
  return out;
}

StatusOr<std::vector<TextTag>> FindTextTags(const std::string& pdf_path) {
  std::unique_ptr<poppler::document> document(poppler::document::load_from_file(pdf_path));
  if (!document || document->is_locked()) return InvalidArgument("The PDF cannot be read.");
  std::vector<TextTag> out;
  for (int p = 0; p < document->pages(); ++p) {
    std::unique_ptr<poppler::page> page(document->create_page(p));
    if (!page) continue;
    // Coordinates: points at 72 dpi from the top-left of the crop box as displayed (poppler
    // applies the page's /Rotate).
    std::vector<poppler::text_box> boxes = page->text_list();
    std::vector<LineChar> line;
    const poppler::text_box* prev = nullptr;
    for (const poppler::text_box& box : boxes) {
      if (box.rotation() != 0) {  // vertical or upside-down text: not read
        if (!line.empty()) TagsOfLine(line, p + 1, out);
        line.clear();
        prev = nullptr;
        continue;
      }
      if (prev != nullptr && !SameLine(prev->bbox(), box.bbox())) {
        TagsOfLine(line, p + 1, out);
        line.clear();
      } else if (prev != nullptr && prev->has_space_after()) {
        line.push_back({U' ', {}, false});
      }
      AppendBox(box, line);
      prev = &box;
    }
    if (!line.empty()) TagsOfLine(line, p + 1, out);
  }
  return out;
}

}  // namespace countersign
