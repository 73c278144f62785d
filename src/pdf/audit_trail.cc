#include "pdf/audit_trail.h"

#include <string_view>

#include "pdf/pdf_text.h"

namespace countersign {

namespace {

constexpr double kMargin = 54;
constexpr double kBottom = 54;

// Lays out lines top to bottom, starting a new page when one is full.
class TextFlow {
 public:
  explicit TextFlow(std::vector<ContentStream>& pages) : pages_(pages) { NewPage(); }

  // One line, shortened with "..." when too wide.
  void Line(PdfFont font, double size, std::string_view text, double indent = 0) {
    Advance(size * 1.3);
    double max_width = kAddedPageWidth - 2 * kMargin - indent;
    pages_.back().Text(font, size, kMargin + indent, y_, Ellipsize(font, size, max_width, text));
  }

  // `text` wrapped to the page width; continuation lines are indented by `hanging` more.
  void Paragraph(PdfFont font, double size, std::string_view text, double indent = 0,
                 double hanging = 0) {
    double max_width = kAddedPageWidth - 2 * kMargin - indent;
    std::vector<std::string> lines = WrapText(font, size, max_width - hanging, text);
    for (size_t i = 0; i < lines.size(); ++i) {
      Line(font, size, lines[i], i == 0 ? indent : indent + hanging);
    }
  }

  void Heading(std::string_view text) {
    Space(10);
    KeepTogether(14 * 1.3 + 40);
    Line(PdfFont::kHelveticaBold, 13, text);
    Space(3);
  }

  void Space(double points) { y_ -= points; }

  // Starts a new page unless `height` points fit on this one.
  void KeepTogether(double height) {
    if (y_ - height < kBottom) NewPage();
  }

 private:
  void Advance(double leading) {
    if (y_ - leading < kBottom) NewPage();
    y_ -= leading;
  }
  void NewPage() {
    pages_.emplace_back().FillRgb(0, 0, 0);
    y_ = kAddedPageHeight - kMargin;
  }

  std::vector<ContentStream>& pages_;
  double y_ = 0;
};

}  // namespace

std::vector<ContentStream> LayoutAuditTrail(const FinalizeInput& input,
                                            const std::string& seal_subject) {
  std::vector<ContentStream> pages;
  TextFlow flow(pages);
  flow.Line(PdfFont::kHelveticaBold, 20, "Audit trail");
  flow.Space(8);
  constexpr double kLabel = 80;
  flow.Paragraph(PdfFont::kHelvetica, 10, "Title: " + ToWinAnsi(input.title), 0, kLabel);
  flow.Paragraph(PdfFont::kHelvetica, 10, "Request ID: " + ToWinAnsi(input.request_id), 0, kLabel);
  flow.Line(PdfFont::kHelvetica, 10, "Completed: " + FormatUtc(input.completed_at));
  flow.Line(PdfFont::kHelvetica, 10, "Status: completed and sealed");
  if (input.test_mode) {
    flow.Line(PdfFont::kHelveticaBold, 10,
              "This request was sent in test mode and is not legally binding.");
  }
  flow.Space(6);
  flow.Paragraph(PdfFont::kHelvetica, 9,
                 "This document is sealed with a digital signature (PAdES, CMS, SHA-256) made "
                 "with the certificate \"" +
                     ToWinAnsi(seal_subject) +
                     "\". Any change made to this file after completion invalidates the "
                     "signature, which PDF readers report.");

  flow.Heading("Documents");
  for (size_t i = 0; i < input.documents.size(); ++i) {
    const FinalizeDocument& doc = input.documents[i];
    flow.KeepTogether(30);
    flow.Paragraph(PdfFont::kHelvetica, 10, std::to_string(i + 1) + ". " + ToWinAnsi(doc.name), 0,
                   14);
    flow.Line(PdfFont::kCourier, 8, "SHA-256: " + ToWinAnsi(doc.sha256_hex), 14);
    flow.Space(3);
  }

  flow.Heading("Signers");
  for (const FinalizeSigner& signer : input.signers) {
    flow.KeepTogether(28);
    flow.Paragraph(PdfFont::kHelvetica, 10,
                   ToWinAnsi(signer.name) + " <" + ToWinAnsi(signer.email) + ">", 0, 14);
    flow.Line(PdfFont::kHelvetica, 9,
              std::string(signer.kind == SignatureKind::kTyped ? "Typed" : "Drawn") +
                  " signature, signed " + FormatUtc(signer.signed_at),
              14);
    flow.Space(3);
  }

  flow.Heading("Events");
  for (const AuditEvent& event : input.events) {
    flow.KeepTogether(44);
    flow.Paragraph(PdfFont::kHelvetica, 9,
                   FormatUtc(event.time) + "   " + ToWinAnsi(event.action) + "   " +
                       ToWinAnsi(event.actor_email),
                   0, 14);
    flow.Paragraph(PdfFont::kCourier, 8, "IP address: " + ToWinAnsi(event.ip_address), 14, 0);
    flow.Paragraph(PdfFont::kCourier, 8, "User agent: " + ToWinAnsi(event.user_agent), 14, 0);
    flow.Space(4);
  }

  for (size_t i = 0; i < pages.size(); ++i) {
    std::string footer = "Countersign audit trail, page " + std::to_string(i + 1) + " of " +
                         std::to_string(pages.size());
    pages[i].FillRgb(0.4, 0.4, 0.4);
    pages[i].Text(PdfFont::kHelvetica, 8, kMargin, kBottom / 2, footer);
  }
  return pages;
}

}  // namespace countersign
