#include "pdf/content_stream.h"

namespace countersign {

PdfMatrix PdfMatrix::Then(const PdfMatrix& m) const {
  return {a * m.a + b * m.c, a * m.b + b * m.d,       c * m.a + d * m.c,
          c * m.b + d * m.d, e * m.a + f * m.c + m.e, e * m.b + f * m.d + m.f};
}

void ContentStream::Numbers(std::initializer_list<double> values, std::string_view op) {
  for (double v : values) {
    out_ += PdfNumber(v);
    out_ += ' ';
  }
  out_ += op;
  out_ += '\n';
}

void ContentStream::Concat(const PdfMatrix& m) { Numbers({m.a, m.b, m.c, m.d, m.e, m.f}, "cm"); }
void ContentStream::FillRgb(double r, double g, double b) { Numbers({r, g, b}, "rg"); }
void ContentStream::StrokeRgb(double r, double g, double b) { Numbers({r, g, b}, "RG"); }
void ContentStream::LineWidth(double width) { Numbers({width}, "w"); }
void ContentStream::MoveTo(double x, double y) { Numbers({x, y}, "m"); }
void ContentStream::LineTo(double x, double y) { Numbers({x, y}, "l"); }
void ContentStream::Rectangle(double x, double y, double w, double h) {
  Numbers({x, y, w, h}, "re");
}

void ContentStream::Line(double x1, double y1, double x2, double y2) {
  MoveTo(x1, y1);
  LineTo(x2, y2);
  Stroke();
}

void ContentStream::Text(PdfFont font, double size, double x, double y, std::string_view text) {
  fonts_used_ |= Bit(font);
  out_ += "BT ";
  out_ += PdfFontResourceName(font);
  out_ += ' ';
  Numbers({size}, "Tf");
  Numbers({x, y}, "Td");
  out_ += PdfLiteral(text);
  out_ += " Tj ET\n";
}

}  // namespace countersign
