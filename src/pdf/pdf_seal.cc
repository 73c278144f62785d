// qpdf 11 without the deprecated PointerHolder; must precede every qpdf header.
#define POINTERHOLDER_TRANSITION 4

#include "pdf/pdf_seal.h"

#include <cstdio>
#include <cstring>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <string_view>

#include "pdf/pdf_text.h"

namespace countersign {

namespace {

constexpr char kFieldName[] = "Countersign seal";
// Wide enough for any file offset the /ByteRange can hold.
constexpr char kByteRangePlaceholder[] = "[0 9999999999 9999999999 9999999999]";

// The span [begin, end] (inclusive) of the value following `key` inside `object`, where the
// value is delimited by `open` and `close`; npos when absent.
std::pair<size_t, size_t> FindValue(std::string_view object, std::string_view key, char open,
                                    char close) {
  size_t at = object.find(key);
  if (at == std::string_view::npos) return {std::string_view::npos, std::string_view::npos};
  size_t begin = object.find(open, at + key.size());
  size_t end = begin == std::string_view::npos ? begin : object.find(close, begin);
  if (end == std::string_view::npos) return {std::string_view::npos, std::string_view::npos};
  return {begin, end};
}

}  // namespace

QPDFObjectHandle AddSealPlaceholder(QPDF& pdf, QPDFObjectHandle page, const std::string& reason,
                                    int64_t signing_time) {
  QPDFObjectHandle signature = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
  signature.replaceKey("/Type", QPDFObjectHandle::newName("/Sig"));
  signature.replaceKey("/Filter", QPDFObjectHandle::newName("/Adobe.PPKLite"));
  signature.replaceKey("/SubFilter", QPDFObjectHandle::newName("/ETSI.CAdES.detached"));
  signature.replaceKey("/ByteRange", QPDFObjectHandle::parse(kByteRangePlaceholder));
  signature.replaceKey("/Contents",
                       QPDFObjectHandle::newString(std::string(kSealContentsBytes, '\0')));
  signature.replaceKey("/M", QPDFObjectHandle::newString(PdfDate(signing_time)));
  signature.replaceKey("/Reason", QPDFObjectHandle::newString(reason));
  signature.replaceKey("/Name", QPDFObjectHandle::newString("Countersign"));

  QPDFObjectHandle field = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
  field.replaceKey("/FT", QPDFObjectHandle::newName("/Sig"));
  field.replaceKey("/T", QPDFObjectHandle::newString(kFieldName));
  field.replaceKey("/V", signature);
  field.replaceKey("/Type", QPDFObjectHandle::newName("/Annot"));
  field.replaceKey("/Subtype", QPDFObjectHandle::newName("/Widget"));
  field.replaceKey("/Rect", QPDFObjectHandle::parse("[0 0 0 0]"));
  field.replaceKey("/F", QPDFObjectHandle::newInteger(132));  // print, locked
  field.replaceKey("/P", page);

  QPDFObjectHandle annots = page.getKey("/Annots");
  if (!annots.isArray()) {
    annots = QPDFObjectHandle::newArray();
    page.replaceKey("/Annots", annots);
  }
  annots.appendItem(field);

  QPDFObjectHandle form = QPDFObjectHandle::newDictionary();
  form.replaceKey("/Fields", QPDFObjectHandle::newArray({field}));
  form.replaceKey("/SigFlags", QPDFObjectHandle::newInteger(3));
  pdf.getRoot().replaceKey("/AcroForm", pdf.makeIndirectObject(form));
  return signature;
}

StatusOr<std::shared_ptr<Buffer>> WriteSealed(QPDF& pdf, QPDFObjectHandle signature,
                                              const SigningIdentity& identity,
                                              int64_t signing_time) {
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setObjectStreamMode(qpdf_o_disable);
  writer.write();
  std::map<QPDFObjGen, QPDFXRefEntry> xref = writer.getWrittenXRefTable();
  std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  auto* bytes = reinterpret_cast<char*>(buffer->getBuffer());
  size_t size = buffer->getSize();

  auto entry = xref.find(writer.getRenumberedObjGen(signature.getObjGen()));
  if (entry == xref.end() || entry->second.getType() != 1) {
    return Internal("Seal: signature dictionary not written as a plain object.");
  }
  auto offset = static_cast<size_t>(entry->second.getOffset());
  std::string_view file(bytes, size);
  size_t object_end = file.find("endobj", offset);
  if (offset >= size || object_end == std::string_view::npos) {
    return Internal("Seal: signature dictionary not found in the output.");
  }
  std::string_view object = file.substr(offset, object_end - offset);
  auto [range_begin, range_end] = FindValue(object, "/ByteRange", '[', ']');
  auto [hex_begin, hex_end] = FindValue(object, "/Contents", '<', '>');
  if (range_end == std::string_view::npos || hex_end == std::string_view::npos ||
      hex_end - hex_begin - 1 != 2 * kSealContentsBytes) {
    return Internal("Seal: placeholders not found in the output.");
  }
  size_t gap_begin = offset + hex_begin;  // the '<'
  size_t gap_end = offset + hex_end + 1;  // after the '>'
  char range[64];
  int range_len =
      std::snprintf(range, sizeof(range), "[0 %zu %zu %zu]", gap_begin, gap_end, size - gap_end);
  size_t slot = range_end - range_begin + 1;
  if (range_len <= 0 || static_cast<size_t>(range_len) > slot) {
    return Internal("Seal: file too large for the byte range placeholder.");
  }
  std::memset(bytes + offset + range_begin, ' ', slot);
  std::memcpy(bytes + offset + range_begin, range, static_cast<size_t>(range_len));

  std::string signed_bytes;
  signed_bytes.reserve(size - (gap_end - gap_begin));
  signed_bytes.append(bytes, gap_begin);
  signed_bytes.append(bytes + gap_end, size - gap_end);
  CS_ASSIGN_OR_RETURN(std::string cms, identity.SignDetached(signed_bytes, signing_time));
  if (cms.size() > kSealContentsBytes) return Internal("Seal: signature larger than reserved.");
  static constexpr char kHex[] = "0123456789abcdef";
  char* hex = bytes + gap_begin + 1;
  for (size_t i = 0; i < cms.size(); ++i) {
    auto b = static_cast<unsigned char>(cms[i]);
    hex[2 * i] = kHex[b >> 4];
    hex[2 * i + 1] = kHex[b & 0xF];
  }
  return buffer;
}

}  // namespace countersign
