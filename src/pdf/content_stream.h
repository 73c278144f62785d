// ContentStream: builds the operators of a PDF content stream (paths, colours, text in the
// standard fonts) and remembers which fonts it used, so the caller can add just those to the
// page resources. PdfMatrix is an affine transform in PDF's [a b c d e f] form.
// Thread-compatible value type.
#pragma once

#include <string>
#include <string_view>

#include "pdf/pdf_text.h"

namespace countersign {

struct PdfMatrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;

  // The transform applying `this` first, then `then`.
  PdfMatrix Then(const PdfMatrix& then) const;
  static PdfMatrix Translate(double x, double y) { return {1, 0, 0, 1, x, y}; }
};

// A page as displayed: its visible size in points and the transform from display coordinates
// (origin at the visible bottom-left, y up) to the page's user space (accounts for /Rotate and
// the crop box origin).
struct PageFrame {
  double width = 612;
  double height = 792;
  PdfMatrix to_user;
};

// The size of the pages the finalizer adds (US Letter, as Dropbox Sign's own audit trail).
inline constexpr double kAddedPageWidth = 612;
inline constexpr double kAddedPageHeight = 792;

class ContentStream {
 public:
  void Save() { out_ += "q\n"; }
  void Restore() { out_ += "Q\n"; }
  void Concat(const PdfMatrix& m);
  void FillRgb(double r, double g, double b);
  void StrokeRgb(double r, double g, double b);
  void LineWidth(double width);
  void RoundCapsAndJoins() { out_ += "1 J 1 j\n"; }
  void MoveTo(double x, double y);
  void LineTo(double x, double y);
  void Stroke() { out_ += "S\n"; }
  void Rectangle(double x, double y, double w, double h);
  void Fill() { out_ += "f\n"; }
  // A straight stroked line from (x1, y1) to (x2, y2).
  void Line(double x1, double y1, double x2, double y2);
  // Shows WinAnsi `text` with its baseline starting at (x, y).
  void Text(PdfFont font, double size, double x, double y, std::string_view text);

  const std::string& data() const { return out_; }
  bool UsesFont(PdfFont font) const { return (fonts_used_ & Bit(font)) != 0; }
  bool empty() const { return out_.empty(); }

 private:
  static unsigned Bit(PdfFont font) { return 1u << static_cast<unsigned>(font); }
  void Numbers(std::initializer_list<double> values, std::string_view op);

  std::string out_;
  unsigned fonts_used_ = 0;
};

}  // namespace countersign
