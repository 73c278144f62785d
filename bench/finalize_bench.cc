// Micro-benchmark of the document finaliser (issue 6): sealing a generated 100-page PDF
// (text and a 128x128 RGB image on every page, about 5 MB) signed by two signers, one typed
// and placed, one drawn on a signature page. The in-run reference is qpdf merely reading and
// rewriting the same file with default settings, so the ratio of the two is comparable across
// machines. Goal: Finalize <= 1 s on 2 cores; with 200 form fields, within 3x of the copy.
//
//   bench/bench_finalize.sh          # builds micro_bench with -DCS_BUILD_BENCH=ON and runs this
#define POINTERHOLDER_TRANSITION 4  // qpdf 11 without PointerHolder; before every qpdf header

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <sstream>
#include <string>

#include "core/crypto.h"
#include "pdf/qpdf_document_finalizer.h"
#include "pdf/signing_certificate.h"

namespace countersign {
namespace {

constexpr int kPages = 100;
constexpr int64_t kNow = 1714566896;

// Writes the 100-page input: every page with 45 lines of text and its own noisy image.
void WriteInput(const std::string& path) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper doc(pdf);
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>"));
  unsigned state = 12345;
  for (int i = 0; i < kPages; ++i) {
    std::string pixels(128 * 128 * 3, '\0');
    for (char& c : pixels) {
      state = state * 1103515245u + 12345u;
      c = static_cast<char>(state >> 24);
    }
    QPDFObjectHandle image = QPDFObjectHandle::newStream(&pdf, pixels);
    image.replaceDict(QPDFObjectHandle::parse(
        "<< /Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceRGB "
        "/BitsPerComponent 8 >>"));
    QPDFObjectHandle page = pdf.makeIndirectObject(QPDFObjectHandle::parse(
        "<< /Type /Page /MediaBox [0 0 612 792] /Resources << /Font << >> /XObject << >> >> >>"));
    page.getKey("/Resources").getKey("/Font").replaceKey("/F1", font);
    page.getKey("/Resources").getKey("/XObject").replaceKey("/Im1", image);
    std::string content = "q 128 0 0 128 420 620 cm /Im1 Do Q\nBT /F1 10 Tf 12 TL 72 740 Td\n";
    for (int line = 0; line < 45; ++line) {
      content += "(Clause " + std::to_string(i + 1) + "." + std::to_string(line + 1) +
                 ": the parties agree that this line of the agreement is here to be "
                 "signed.) '\n";
    }
    content += "ET\n";
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, content));
    doc.addPage(QPDFPageObjectHelper(page), false);
  }
  QPDFWriter writer(pdf, path.c_str());
  writer.write();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The generated input and a signing identity, made once per process.
struct Fixture {
  Fixture() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "finalize_bench_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    dir = tmpl;
    input_path = dir + "/input.pdf";
    WriteInput(input_path);
    StatusOr<SigningIdentity> created = CreateSigningIdentity("Bench Org", kNow);
    if (!created.ok()) std::abort();
    finalizer = std::make_unique<QpdfDocumentFinalizer>(*created);
  }
  ~Fixture() { std::filesystem::remove_all(dir); }

  FinalizeInput Input(bool test_mode) const {
    FinalizeInput in;
    in.request_id = "fa5c8a0b0f492d768749333ad6fcc214c111e967";
    in.title = "Master services agreement";
    in.test_mode = test_mode;
    in.completed_at = kNow;
    in.documents = {{input_path, "agreement.pdf", Sha256Hex(ReadAll(input_path))}};
    FinalizeSigner alice;
    alice.name = "Alice Example";
    alice.email = "alice@example.com";
    alice.signed_at = kNow - 600;
    alice.typed = "Alice Example";
    alice.placement = SignaturePlacement{0, kPages, 72, 650, 200, 40};
    FinalizeSigner bob;
    bob.name = "Bob Builder";
    bob.email = "bob@example.org";
    bob.signed_at = kNow;
    bob.kind = SignatureKind::kDrawn;
    Stroke stroke;
    for (int i = 0; i <= 200; ++i) stroke.push_back({i / 200.0, 0.5 + 0.4 * ((i % 20) / 20.0)});
    bob.drawn = {stroke, stroke};
    in.signers = {alice, bob};
    const char* ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)";
    in.events = {{kNow - 3600, "sent", "owner@example.net", "198.51.100.7", "sdk/1.0"},
                 {kNow - 900, "viewed", "alice@example.com", "203.0.113.5", ua},
                 {kNow - 600, "signed", "alice@example.com", "203.0.113.5", ua},
                 {kNow - 60, "viewed", "bob@example.org", "2001:db8::17", ua},
                 {kNow, "signed", "bob@example.org", "2001:db8::17", ua}};
    return in;
  }

  std::string dir;
  std::string input_path;
  std::unique_ptr<DocumentFinalizer> finalizer;
};

Fixture& Files() {
  static Fixture* fixture = new Fixture();  // left to the OS at exit with its temp dir
  return *fixture;
}

// Reference: qpdf opening the input and writing it back out, default settings.
void BM_QpdfCopy100Pages(benchmark::State& state) {
  Fixture& f = Files();
  std::string out = f.dir + "/copy.pdf";
  for (auto _ : state) {
    QPDF pdf;
    pdf.processFile(f.input_path.c_str());
    QPDFWriter writer(pdf, out.c_str());
    writer.write();
  }
  state.counters["bytes_out"] = static_cast<double>(std::filesystem::file_size(out));
}
BENCHMARK(BM_QpdfCopy100Pages)->Unit(benchmark::kMillisecond)->UseRealTime();

// The timed loop: finalises `in` into `out` once an iteration; the output's size as a counter.
void RunFinalize(benchmark::State& state, Fixture& f, const FinalizeInput& in,
                 const std::string& out) {
  for (auto _ : state) {
    Status st = f.finalizer->Finalize(in, out);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
  }
  state.counters["bytes_out"] = static_cast<double>(std::filesystem::file_size(out));
}

void BM_Finalize100Pages2Signers(benchmark::State& state) {
  Fixture& f = Files();
  FinalizeInput in = f.Input(state.range(0) != 0);
  RunFinalize(state, f, in, f.dir + "/final.pdf");
}
BENCHMARK(BM_Finalize100Pages2Signers)
    ->ArgName("test_mode")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Issue 12: the same 100 pages with 200 form fields over the 2 signers, two per page: signer 1's
// typed text (Helvetica, then Courier at 11 pt) and signer 2's initials, checks and dates in turn.
// Goal: within 3x of the qpdf copy.
void BM_Finalize100Pages200Fields(benchmark::State& state) {
  Fixture& f = Files();
  FinalizeInput in = f.Input(false);
  for (int page = 1; page <= kPages; ++page) {
    in.signers[0].fields.push_back({SignaturePlacement{0, page, 72, 60, 220, 20}, StampKind::kText,
                                    "Field value " + std::to_string(page),
                                    page % 2 ? PdfFont::kHelvetica : PdfFont::kCourier,
                                    page % 2 ? 0.0 : 11.0});
    const StampKind kinds[] = {StampKind::kInitials, StampKind::kCheck, StampKind::kText};
    in.signers[1].fields.push_back(
        {SignaturePlacement{0, page, 320, 60, 60, 20}, kinds[page % 3], "03 / 14 / 2025"});
  }
  RunFinalize(state, f, in, f.dir + "/fields.pdf");
}
BENCHMARK(BM_Finalize100Pages200Fields)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace countersign

BENCHMARK_MAIN();
