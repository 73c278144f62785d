#include "api/document_download.h"

#include <sodium.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "files/temp_files.h"
#include "files/zip_writer.h"

namespace countersign::api {

namespace {

// A ZIP of `entries`.
StatusOr<std::string> ZipOf(BlobStore& blobs, const std::vector<ZipEntry>& entries) {
  TempFiles temp;
  const std::string& zip = temp.Add(blobs.NewTempPath());
  CS_RETURN_IF_ERROR(WriteZip(entries, zip));
  return ReadWholeFile(zip);
}

}  // namespace

StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string SafeName(const std::string& title, const char* extension) {
  std::string out;
  for (char c : title) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == ' ' ? c : '_');
  }
  if (out.empty()) out = "document";
  if (out.size() > 100) out.resize(100);
  const std::string ext(extension);
  if (!ext.empty() && out.size() >= ext.size() &&
      out.compare(out.size() - ext.size(), ext.size(), ext) == 0) {
    return out;  // "x.pdf" stays "x.pdf"
  }
  return out + ext;
}

StatusOr<std::string> MergedPdf(PdfInspector& pdf, BlobStore& blobs,
                                const std::vector<std::string>& paths) {
  if (paths.size() == 1) return ReadWholeFile(paths.front());
  TempFiles temp;
  const std::string& merged = temp.Add(blobs.NewTempPath());
  CS_RETURN_IF_ERROR(pdf.Merge(paths, merged));
  return ReadWholeFile(merged);
}

StatusOr<std::string> SingleZip(BlobStore& blobs, const std::string& path,
                                const std::string& name) {
  return ZipOf(blobs, {{name, path}});
}

StatusOr<std::string> NumberedZip(BlobStore& blobs, const std::vector<std::string>& paths,
                                  const std::vector<std::string>& names) {
  std::vector<ZipEntry> entries;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string name = SafeName(names[i], "");
    if (name.size() < 4 || name.substr(name.size() - 4) != ".pdf") name += ".pdf";
    entries.push_back({std::to_string(i + 1) + "-" + name, paths[i]});
  }
  return ZipOf(blobs, entries);
}

std::string PdfDataUri(const std::string& pdf) {
  std::string b64(sodium_base64_ENCODED_LEN(pdf.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(pdf.data()),
                    pdf.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.size() - 1);  // the terminating NUL
  return "data:application/pdf;base64," + b64;
}

http::Response Binary(std::string body, const char* type, const std::string& filename,
                      bool attachment) {
  http::Response r;
  r.status = 200;
  r.body = std::move(body);
  r.SetHeader("Content-Type", type);
  r.SetHeader("Content-Disposition", std::string(attachment ? "attachment" : "inline") +
                                         "; filename=\"" + filename + "\"");
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("X-Content-Type-Options", "nosniff");
  // A PDF opened in the browser runs in an opaque origin without scripts, forms or popups,
  // so a hostile document cannot act as this site.
  r.SetHeader("Content-Security-Policy", "sandbox");
  return r;
}

}  // namespace countersign::api
