// Helpers for the PDF finaliser tests: PDFs built with qpdf (no binary fixtures), file I/O,
// and running poppler's command-line tools.
#pragma once

#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4  // qpdf 11 without PointerHolder; before every qpdf header
#endif

#include <stdio.h>
#include <sys/wait.h>

#include <fstream>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <sstream>
#include <string>

namespace countersign::testing {

// Writes a PDF of `pages` pages of `width` x `height` points (rotated by `rotate` degrees),
// each showing "Page N of <tag>".
inline void WriteTestPdf(const std::string& path, int pages, const std::string& tag,
                         double width = 612, double height = 792, int rotate = 0,
                         bool object_streams = false) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper doc(pdf);
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>"));
  for (int i = 0; i < pages; ++i) {
    QPDFObjectHandle page = pdf.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Page /Resources << /Font << >> >> >>"));
    page.getKey("/Resources").getKey("/Font").replaceKey("/F1", font);
    page.replaceKey("/MediaBox",
                    QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(0, 0, width, height)));
    if (rotate != 0) page.replaceKey("/Rotate", QPDFObjectHandle::newInteger(rotate));
    std::string content = "BT /F1 14 Tf 50 " + std::to_string(static_cast<int>(height) - 60) +
                          " Td (Page " + std::to_string(i + 1) + " of " + tag + ") Tj ET";
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, content));
    doc.addPage(QPDFPageObjectHelper(page), false);
  }
  QPDFWriter writer(pdf, path.c_str());
  if (object_streams) writer.setObjectStreamMode(qpdf_o_generate);
  writer.write();
}

// Writes a one-page PDF with an interactive form: a filled text field and an (unsigned)
// signature field.
inline void WriteFormPdf(const std::string& path) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
  QPDFObjectHandle ap =
      QPDFObjectHandle::newStream(&pdf, "BT /Helv 12 Tf 2 6 Td (Filled in) Tj ET");
  ap.replaceDict(
      QPDFObjectHandle::parse("<< /Type /XObject /Subtype /Form /BBox [0 0 200 24] "
                              "/Resources << /Font << >> >> >>"));
  ap.getDict().getKey("/Resources").getKey("/Font").replaceKey("/Helv", font);
  QPDFObjectHandle page = pdf.makeIndirectObject(
      QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 612 792] /Resources << >> >>"));
  page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, ""));
  QPDFObjectHandle text = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Filled in) /Rect [72 600 272 624] "
      "/F 4 /DA (/Helv 12 Tf 0 g) >>"));
  text.replaceKey("/AP", QPDFObjectHandle::parse("<< >>"));
  text.getKey("/AP").replaceKey("/N", ap);
  text.replaceKey("/P", page);
  QPDFObjectHandle sig = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Annot /Subtype /Widget /FT /Sig /T (old signature) /Rect [72 500 272 540] "
      "/F 4 >>"));
  sig.replaceKey("/P", page);
  page.replaceKey("/Annots", QPDFObjectHandle::newArray({text, sig}));
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
  QPDFObjectHandle form = QPDFObjectHandle::parse("<< /SigFlags 1 >>");
  form.replaceKey("/Fields", QPDFObjectHandle::newArray({text, sig}));
  form.replaceKey("/DR", QPDFObjectHandle::parse("<< /Font << >> >>"));
  form.getKey("/DR").getKey("/Font").replaceKey("/Helv", font);
  pdf.getRoot().replaceKey("/AcroForm", form);
  QPDFWriter writer(pdf, path.c_str());
  writer.write();
}

inline int CountPages(const std::string& path) {
  QPDF pdf;
  pdf.processFile(path.c_str());
  return static_cast<int>(QPDFPageDocumentHelper(pdf).getAllPages().size());
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFileBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` with /bin/sh, capturing stdout and stderr.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) result.output.append(buf, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// `text` with every run of whitespace collapsed to one space.
inline std::string CollapseSpaces(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace countersign::testing
