// TinyPdf: builds a small valid PDF with `pages` blank pages of one size (correct xref offsets),
// for tests that need real documents without binary fixtures; PdfOfObjects writes any list of
// objects out as a PDF file (text_pdf.h uses it too).
#pragma once

#include <string>
#include <vector>

namespace countersign::testing {

// A PDF file of `objects` (object i + 1 is objects[i]; object 1 the catalog) after `header`,
// with the cross-reference table and trailer.
inline std::string PdfOfObjects(const std::vector<std::string>& objects,
                                const std::string& header = "%PDF-1.4\n") {
  std::string out = header;
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    std::string n = std::to_string(off);
    out += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// `width` x `height` points per page (US Letter portrait unless given).
inline std::string TinyPdf(int pages, const std::string& marker = "", int width = 612,
                           int height = 792) {
  std::vector<std::string> objects;
  std::string kids;
  for (int i = 0; i < pages; ++i) kids += std::to_string(3 + i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  for (int i = 0; i < pages; ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " +
                      std::to_string(height) + "] >>");
  }
  return PdfOfObjects(objects, "%PDF-1.4\n%" + marker + "\n");
}

}  // namespace countersign::testing
