// TextPdf: builds a small valid PDF whose pages run given content streams, for the text tag
// tests (no binary fixtures). Resources of every page: /F1 Helvetica and /F3 Times-Roman
// (Type1, WinAnsiEncoding, no /Widths), /F2 Helvetica with /Widths and a /Differences
// encoding, /F4 a Type0 font (Identity-H, two-byte codes equal to the ASCII codes, /ToUnicode
// and /W; write its strings with Utf16Hex), and /X1, a form XObject showing "[sig|req|signer1]"
// at its origin.
#pragma once

#include <string>
#include <vector>

#include "testing/tiny_pdf.h"

namespace countersign::testing {

// A hex string of `ascii` as two-byte codes, for /F4: "<005B0073>".
inline std::string Utf16Hex(const std::string& ascii) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "<";
  for (unsigned char c : ascii) out += std::string("00") + kHex[c >> 4] + kHex[c & 15];
  return out + ">";
}

// `contents[i]` is page i's content stream; `page_extra` adds keys to every page (e.g.
// "/CropBox [50 50 562 742] /Rotate 90").
inline std::string TextPdf(const std::vector<std::string>& contents,
                           const std::string& page_extra = "") {
  auto stream = [](const std::string& dict, const std::string& data) {
    return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
           "\nendstream";
  };
  std::vector<std::string> objects;
  std::string kids;
  const size_t first_page = 9;
  for (size_t i = 0; i < contents.size(); ++i) {
    kids += std::to_string(first_page + 2 * i) + " 0 R ";
  }
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " +
                    std::to_string(contents.size()) + " >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>");
  // Helvetica's widths for codes 32..126, and codes 1..3 named bracketleft, bar, bracketright.
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 1 /LastChar 126 "
      "/Encoding << /Type /Encoding /Differences [1 /bracketleft /bar /bracketright] >> "
      "/Widths [278 260 278 278 278 278 278 278 278 278 278 278 278 278 278 278 278 278 278 278 "
      "278 278 278 278 278 278 278 278 278 278 278 "
      "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
      "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
      "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
      "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
      "500 500 500 334 260 334 584] >>");
  const std::string xobject_data = "BT /F1 12 Tf 0 0 Td ([sig|req|signer1]) Tj ET";
  objects.push_back(stream(
      "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 3 0 R >> >>",
      xobject_data));
  const std::string cmap =
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def "
      "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0020> <007E> <0020> "
      "endbfrange endcmap CMapName currentdict /CMap defineresource pop end end";
  objects.push_back(stream("", cmap));  // 7
  objects.push_back(  // 8: Helvetica's widths for the characters of tags, 556 for the rest
      "<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H "
      "/ToUnicode 7 0 R /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont "
      "/Helvetica /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
      "/FontDescriptor << /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontBBox "
      "[-166 -225 1000 931] /ItalicAngle 0 /Ascent 718 /Descent -207 /CapHeight 718 /StemV 88 "
      ">> /DW 556 /W [32 [278] 91 [278] 93 [278] 105 [222] 114 [333] 124 [260]] >>] >>");
  for (size_t i = 0; i < contents.size(); ++i) {
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page_extra +
        " /Resources << /Font << /F1 3 0 R /F3 4 0 R /F2 5 0 R /F4 8 0 R >> /XObject << /X1 "
        "6 0 R >> >> /Contents " +
        std::to_string(first_page + 2 * i + 1) + " 0 R >>");
    objects.push_back(stream("", contents[i]));
  }
  return PdfOfObjects(objects);
}

}  // namespace countersign::testing
