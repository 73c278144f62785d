#include "pdf/signature_stamp.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "pdf/pdf_text.h"

namespace countersign {

namespace {

constexpr double kInkRed = 0.05, kInkGreen = 0.12, kInkBlue = 0.45;
constexpr int kBlocksPerPage = 5;

double Clamp01(double v) { return std::isfinite(v) ? std::clamp(v, 0.0, 1.0) : 0.0; }

std::string CaptionIdentity(const FinalizeSigner& signer) {
  std::string name = ToWinAnsi(signer.name);
  std::string email = ToWinAnsi(signer.email);
  if (name.empty()) return email;
  return email.empty() ? name : name + " <" + email + ">";
}

std::string CaptionDate(const FinalizeSigner& signer) {
  return "Signed " + FormatUtc(signer.signed_at);
}

void DrawTyped(const std::string& typed, double x, double y, double w, double h,
               ContentStream& out) {
  std::string text = ToWinAnsi(typed);
  double unit_width = TextWidth(PdfFont::kHelveticaOblique, text, 1.0);
  double size = h * 0.62;
  if (unit_width > 0) size = std::min(size, w * 0.92 / unit_width);
  double width = unit_width * size;
  out.FillRgb(kInkRed, kInkGreen, kInkBlue);
  // Ink spans from the descender (-0.21 em) to the cap height (0.72 em): centre that span.
  double baseline = y + h / 2 - (0.72 - 0.21) / 2 * size;
  out.Text(PdfFont::kHelveticaOblique, size, x + (w - width) / 2, baseline, text);
}

// "Jane Q. Public" -> "JQP": the first letter of each word (UTF-8 aware), at most four.
std::string Initials(const std::string& name) {
  std::string out;
  bool at_word_start = true;
  int letters = 0;
  for (size_t i = 0; i < name.size() && letters < 4;) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    size_t length = c < 0x80           ? 1
                    : (c >> 5) == 0x6  ? 2
                    : (c >> 4) == 0xE  ? 3
                    : (c >> 3) == 0x1E ? 4
                                       : 1;
    bool space = c == ' ' || c == '\t' || c == '-';
    if (space) {
      at_word_start = true;
    } else if (at_word_start && c != '.') {
      std::string letter = name.substr(i, length);
      if (length == 1) letter[0] = static_cast<char>(std::toupper(c));
      out += letter;
      ++letters;
      at_word_start = false;
    }
    i += length;
  }
  return out.empty() ? name : out;
}

void DrawStrokes(const std::vector<Stroke>& strokes, double x, double y, double w, double h,
                 ContentStream& out) {
  double inset = std::min(w, h) * 0.06;
  double iw = w - 2 * inset, ih = h - 2 * inset;
  out.StrokeRgb(kInkRed, kInkGreen, kInkBlue);
  out.LineWidth(std::clamp(h * 0.03, 0.6, 3.0));
  out.RoundCapsAndJoins();
  for (const Stroke& stroke : strokes) {
    if (stroke.empty()) continue;
    auto px = [&](const StrokePoint& p) { return x + inset + Clamp01(p.x) * iw; };
    auto py = [&](const StrokePoint& p) { return y + inset + (1 - Clamp01(p.y)) * ih; };
    double last_x = px(stroke[0]), last_y = py(stroke[0]);
    out.MoveTo(last_x, last_y);
    // A single point still leaves a dot (round caps).
    if (stroke.size() == 1) out.LineTo(last_x, last_y);
    // Points closer than kMinStep to the last one drawn add nothing a reader can see (the line is
    // at least 0.6 pt wide) but bytes: a pad's 2,000 points shrink with the box. The last point
    // is always drawn.
    constexpr double kMinStep = 0.25;
    for (size_t i = 1; i < stroke.size(); ++i) {
      const double nx = px(stroke[i]), ny = py(stroke[i]);
      const bool last = i + 1 == stroke.size();
      if (!last && std::fabs(nx - last_x) < kMinStep && std::fabs(ny - last_y) < kMinStep) continue;
      out.LineTo(nx, ny);
      last_x = nx;
      last_y = ny;
    }
    out.Stroke();
  }
}

}  // namespace

void DrawSignatureMark(const FinalizeSigner& signer, double x, double y, double w, double h,
                       ContentStream& out) {
  out.Save();
  if (signer.kind == SignatureKind::kTyped) {
    DrawTyped(signer.typed, x, y, w, h, out);
  } else {
    DrawStrokes(signer.drawn, x, y, w, h, out);
  }
  out.Restore();
}

void DrawPlacedSignature(const FinalizeSigner& signer, const PageFrame& frame, ContentStream& out) {
  const SignaturePlacement& at = *signer.placement;
  // Display coordinates with y up.
  double x = at.x, w = at.width, h = at.height;
  double y = frame.height - at.y - at.height;
  out.Save();
  out.Concat(frame.to_user);
  DrawSignatureMark(signer, x, y, w, h, out);

  double size = std::clamp(h * 0.18, 4.0, 7.0);
  double leading = size * 1.2;
  double caption_height = 2 * leading + 1;
  double caption_top;  // y of the top of the caption block
  if (y - caption_height >= 0) {
    caption_top = y - 1;
  } else if (y + h + caption_height <= frame.height) {
    caption_top = y + h + caption_height;
  } else {
    caption_top = y + caption_height;
  }
  double max_width = std::max(1.0, std::min(std::max(w, 180.0), frame.width - x - 2));
  out.FillRgb(0.25, 0.25, 0.25);
  out.Text(PdfFont::kHelvetica, size, x, caption_top - size,
           Ellipsize(PdfFont::kHelvetica, size, max_width, CaptionIdentity(signer)));
  out.Text(PdfFont::kHelvetica, size, x, caption_top - size - leading,
           Ellipsize(PdfFont::kHelvetica, size, max_width, CaptionDate(signer)));
  out.Restore();
}

void DrawFieldStamp(const FinalizeSigner& signer, const FieldStamp& field, const PageFrame& frame,
                    ContentStream& out) {
  const SignaturePlacement& at = field.at;
  double x = at.x, w = at.width, h = at.height;
  double y = frame.height - at.y - at.height;  // display coordinates with y up
  out.Save();
  out.Concat(frame.to_user);
  switch (field.kind) {
    case StampKind::kSignature:
      DrawSignatureMark(signer, x, y, w, h, out);
      break;
    case StampKind::kInitials:
      if (signer.kind == SignatureKind::kTyped) {
        DrawTyped(Initials(signer.typed), x, y, w, h, out);
      } else {
        DrawStrokes(signer.drawn, x, y, w, h, out);
      }
      break;
    case StampKind::kText: {
      std::string text = ToWinAnsi(field.text);
      double unit_width = TextWidth(field.font, text, 1.0);
      double size = std::min(h * 0.7, field.font_size > 0 ? field.font_size : 12.0);
      if (unit_width > 0) size = std::min(size, w * 0.96 / unit_width);
      out.FillRgb(0, 0, 0);
      out.Text(field.font, size, x + w * 0.02, y + (h - 0.72 * size) / 2, text);
      break;
    }
    case StampKind::kCheck: {
      // A check mark in the square centred in the box.
      double side = std::min(w, h) * 0.8;
      double left = x + (w - side) / 2, bottom = y + (h - side) / 2;
      out.StrokeRgb(0, 0, 0);
      out.LineWidth(std::max(0.8, side * 0.12));
      out.RoundCapsAndJoins();
      out.MoveTo(left + side * 0.1, bottom + side * 0.5);
      out.LineTo(left + side * 0.4, bottom + side * 0.15);
      out.LineTo(left + side * 0.9, bottom + side * 0.85);
      out.Stroke();
      break;
    }
  }
  out.Restore();
}

void DrawTestModeMark(const PageFrame& frame, ContentStream& out) {
  std::string text = ToWinAnsi(kTestModeText);
  double unit_width = TextWidth(PdfFont::kHelveticaBold, text, 1.0);
  double size = std::min(12.0, frame.width * 0.8 / unit_width);
  double width = unit_width * size;
  double x = (frame.width - width) / 2;
  double baseline = frame.height - 8 - size;
  out.Save();
  out.Concat(frame.to_user);
  out.StrokeRgb(0.85, 0.1, 0.1);
  out.LineWidth(1);
  out.Rectangle(x - size * 0.5, baseline - size * 0.35, width + size, size * 1.4);
  out.Stroke();
  out.FillRgb(0.85, 0.1, 0.1);
  out.Text(PdfFont::kHelveticaBold, size, x, baseline, text);
  out.Restore();
}

std::vector<ContentStream> LayoutSignaturePages(const FinalizeInput& input,
                                                const std::vector<const FinalizeSigner*>& signers) {
  constexpr double kMargin = 72, kBoxWidth = 252, kBoxHeight = 72, kBlockHeight = 124;
  std::vector<ContentStream> pages;
  for (size_t i = 0; i < signers.size(); ++i) {
    if (i % kBlocksPerPage == 0) {
      ContentStream& page = pages.emplace_back();
      page.FillRgb(0, 0, 0);
      page.Text(PdfFont::kHelveticaBold, 18, kMargin, kAddedPageHeight - kMargin, "Signatures");
      double max_width = kAddedPageWidth - 2 * kMargin;
      page.Text(PdfFont::kHelvetica, 10, kMargin, kAddedPageHeight - kMargin - 20,
                Ellipsize(PdfFont::kHelvetica, 10, max_width, ToWinAnsi(input.title)));
      page.Text(PdfFont::kHelvetica, 9, kMargin, kAddedPageHeight - kMargin - 34,
                Ellipsize(PdfFont::kHelvetica, 9, max_width,
                          "Signature request " + ToWinAnsi(input.request_id)));
    }
    ContentStream& page = pages.back();
    const FinalizeSigner& signer = *signers[i];
    double top = kAddedPageHeight - kMargin - 60 - (i % kBlocksPerPage) * kBlockHeight;
    double box_y = top - kBoxHeight;
    DrawSignatureMark(signer, kMargin, box_y, kBoxWidth, kBoxHeight, page);
    page.StrokeRgb(0.6, 0.6, 0.6);
    page.LineWidth(0.75);
    page.Line(kMargin, box_y - 2, kMargin + kBoxWidth, box_y - 2);
    page.FillRgb(0, 0, 0);
    double max_width = kAddedPageWidth - 2 * kMargin;
    page.Text(PdfFont::kHelveticaBold, 10, kMargin, box_y - 15,
              Ellipsize(PdfFont::kHelveticaBold, 10, max_width, ToWinAnsi(signer.name)));
    page.Text(PdfFont::kHelvetica, 9, kMargin, box_y - 27,
              Ellipsize(PdfFont::kHelvetica, 9, max_width, ToWinAnsi(signer.email)));
    page.Text(PdfFont::kHelvetica, 9, kMargin, box_y - 39, CaptionDate(signer));
  }
  return pages;
}

}  // namespace countersign
