#include "pdf/font_codes.h"

#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <qpdf/Buffer.hh>
#include <vector>

#include "pdf/pdf_text.h"

namespace countersign {

namespace {

constexpr char32_t kUnknown = 0xFFFD;

// The character of a glyph name of the Adobe Glyph List that text tags are made of ("a", "one",
// "bracketleft", "uni0041"), else kUnknown.
char32_t GlyphChar(const std::string& name) {
  static const std::map<std::string, char32_t> kNames = {
      {"space", U' '},       {"bracketleft", U'['}, {"bracketright", U']'}, {"bar", U'|'},
      {"hyphen", U'-'},      {"underscore", U'_'},  {"period", U'.'},       {"comma", U','},
      {"colon", U':'},       {"zero", U'0'},        {"one", U'1'},          {"two", U'2'},
      {"three", U'3'},       {"four", U'4'},        {"five", U'5'},         {"six", U'6'},
      {"seven", U'7'},       {"eight", U'8'},       {"nine", U'9'},         {"at", U'@'},
      {"parenleft", U'('},   {"parenright", U')'},  {"slash", U'/'},        {"plus", U'+'},
      {"numbersign", U'#'},  {"asterisk", U'*'},    {"semicolon", U';'},    {"equal", U'='},
      {"question", U'?'},    {"exclam", U'!'},      {"quotesingle", U'\''}, {"ampersand", U'&'},
      {"dollar", U'$'},      {"percent", U'%'},     {"quotedbl", U'"'},     {"less", U'<'},
      {"greater", U'>'},     {"backslash", U'\\'},  {"braceleft", U'{'},    {"braceright", U'}'},
      {"asciitilde", U'~'},  {"grave", U'`'},       {"asciicircum", U'^'},  {"nbspace", U' '},
      {"quoteright", U'\''}, {"quoteleft", U'`'}};
  if (name.size() == 1 && std::isalpha(static_cast<unsigned char>(name[0]))) return name[0];
  auto it = kNames.find(name);
  if (it != kNames.end()) return it->second;
  if (name.size() == 7 && name.compare(0, 3, "uni") == 0) {
    try {
      return static_cast<char32_t>(std::stoul(name.substr(3), nullptr, 16));
    } catch (...) {
      return kUnknown;
    }
  }
  return kUnknown;
}

// The tokens of a CMap: hex strings ("<0041>"), "[", "]" and words.
std::vector<std::string> CMapTokens(const std::string& data) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < data.size()) {
    char c = data[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '%') {
      while (i < data.size() && data[i] != '\n' && data[i] != '\r') ++i;
    } else if (c == '<' && i + 1 < data.size() && data[i + 1] != '<') {
      size_t end = data.find('>', i);
      if (end == std::string::npos) break;
      out.push_back(data.substr(i, end - i + 1));
      i = end + 1;
    } else if (c == '[' || c == ']') {
      out.emplace_back(1, c);
      ++i;
    } else {
      size_t end = i;
      while (end < data.size() && !std::isspace(static_cast<unsigned char>(data[end])) &&
             data[end] != '<' && data[end] != '[' && data[end] != ']') {
        ++end;
      }
      if (end == i) end = i + 1;
      out.push_back(data.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

// The bytes of a hex string token "<00 41>"; empty when `token` is not one.
std::vector<unsigned char> HexBytes(const std::string& token) {
  std::vector<unsigned char> out;
  if (token.size() < 2 || token.front() != '<') return out;
  int high = -1;
  for (size_t i = 1; i + 1 < token.size(); ++i) {
    int v = std::isxdigit(static_cast<unsigned char>(token[i]))
                ? std::stoi(std::string(1, token[i]), nullptr, 16)
                : -1;
    if (v < 0) continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<unsigned char>(high * 16 + v));
      high = -1;
    }
  }
  if (high >= 0) out.push_back(static_cast<unsigned char>(high * 16));
  return out;
}

// The code of a source token (<41>, or <0041> for one-byte codes written on two bytes) for
// codes of `code_bytes` bytes, or -1.
int64_t CodeOf(const std::string& token, size_t code_bytes) {
  std::vector<unsigned char> b = HexBytes(token);
  if (code_bytes == 1 && b.size() == 2 && b[0] == 0) return b[1];
  if (b.size() != code_bytes) return -1;
  int64_t code = 0;
  for (unsigned char c : b) code = (code << 8) | c;
  return code;
}

// The first character of a UTF-16BE destination token, plus `offset`.
char32_t Utf16Char(const std::string& token, unsigned offset = 0) {
  std::vector<unsigned char> b = HexBytes(token);
  if (b.size() < 2) return kUnknown;
  char32_t c = (b[0] << 8) | b[1];
  if (c >= 0xD800 && c < 0xDC00 && b.size() >= 4) {
    c = 0x10000 + ((c - 0xD800) << 10) + (((b[2] << 8) | b[3]) - 0xDC00);
  }
  return c + offset;
}

// Reads the bfchar and bfrange entries of a /ToUnicode CMap into `chars`.
void ReadToUnicode(QPDFObjectHandle cmap, size_t code_bytes,
                   std::unordered_map<uint32_t, char32_t>& chars) {
  constexpr int64_t kMaxRange = 0x10000;
  std::string data;
  try {
    std::shared_ptr<Buffer> buffer = cmap.getStreamData(qpdf_dl_generalized);
    data.assign(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
  } catch (const std::exception&) {
    return;  // an unreadable map: the encoding's characters stay
  }
  std::vector<std::string> t = CMapTokens(data);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == "beginbfchar") {
      for (++i; i + 1 < t.size() && t[i] != "endbfchar"; i += 2) {
        int64_t code = CodeOf(t[i], code_bytes);
        if (code >= 0) chars[static_cast<uint32_t>(code)] = Utf16Char(t[i + 1]);
      }
    } else if (t[i] == "beginbfrange") {
      for (++i; i + 2 < t.size() && t[i] != "endbfrange";) {
        int64_t lo = CodeOf(t[i], code_bytes), hi = CodeOf(t[i + 1], code_bytes);
        const bool valid = lo >= 0 && hi >= lo && hi - lo < kMaxRange;
        if (t[i + 2] == "[") {
          size_t j = i + 3;
          for (int64_t code = lo; j < t.size() && t[j] != "]"; ++j, ++code) {
            if (valid && code <= hi) chars[static_cast<uint32_t>(code)] = Utf16Char(t[j]);
          }
          i = j + 1;
        } else {
          for (int64_t code = lo; valid && code <= hi; ++code) {
            chars[static_cast<uint32_t>(code)] =
                Utf16Char(t[i + 2], static_cast<unsigned>(code - lo));
          }
          i += 3;
        }
      }
    }
  }
}

// The widths of a CIDFont's /W array: "c [w1 w2 ...]" and "c_first c_last w" entries.
void ReadCidWidths(QPDFObjectHandle w, std::unordered_map<uint32_t, double>& widths) {
  constexpr int64_t kMaxRange = 0x10000;
  std::vector<QPDFObjectHandle> items = w.getArrayAsVector();
  for (size_t i = 0; i + 1 < items.size();) {
    if (!items[i].isInteger()) return;
    const int64_t first = items[i].getIntValue();
    if (items[i + 1].isArray()) {
      int64_t cid = first;
      for (QPDFObjectHandle width : items[i + 1].aitems()) {
        if (width.isNumber() && cid >= 0)
          widths[static_cast<uint32_t>(cid)] = width.getNumericValue();
        ++cid;
      }
      i += 2;
    } else if (i + 2 < items.size() && items[i + 1].isInteger() && items[i + 2].isNumber()) {
      const int64_t last = items[i + 1].getIntValue();
      for (int64_t cid = first; cid >= 0 && cid <= last && cid - first < kMaxRange; ++cid) {
        widths[static_cast<uint32_t>(cid)] = items[i + 2].getNumericValue();
      }
      i += 3;
    } else {
      return;
    }
  }
}

// The standard font whose metrics `base_font` uses when the font has no /Widths.
std::optional<PdfFont> StandardMetrics(std::string base_font) {
  if (size_t plus = base_font.find('+'); plus == 6) base_font = base_font.substr(7);
  if (base_font.rfind("Courier", 0) == 0) return PdfFont::kCourier;
  if (base_font == "Helvetica" || base_font == "Arial" || base_font == "ArialMT" ||
      base_font == "Helvetica-Oblique") {
    return PdfFont::kHelvetica;
  }
  if (base_font.rfind("Helvetica-Bold", 0) == 0 || base_font.rfind("Arial-Bold", 0) == 0) {
    return PdfFont::kHelveticaBold;
  }
  return std::nullopt;
}

}  // namespace

StatusOr<FontCodes> FontCodes::From(QPDFObjectHandle font, const std::string& name) {
  if (!font.isDictionary()) return InvalidArgument("its font " + name + " is missing");
  const std::string subtype =
      font.getKey("/Subtype").isName() ? font.getKey("/Subtype").getName() : "";
  FontCodes f;
  if (subtype == "/Type0") {
    QPDFObjectHandle encoding = font.getKey("/Encoding");
    QPDFObjectHandle descendants = font.getKey("/DescendantFonts");
    if (!encoding.isName() || encoding.getName() != "/Identity-H") {
      return InvalidArgument("its font " + name +
                             " is a Type0 font whose encoding is not "
                             "Identity-H");
    }
    QPDFObjectHandle cid_font = descendants.isArray() && descendants.getArrayNItems() == 1
                                    ? descendants.getArrayItem(0)
                                    : QPDFObjectHandle::newNull();
    if (!cid_font.isDictionary()) {
      return InvalidArgument("its font " + name + " is a Type0 font without its CIDFont");
    }
    if (!font.getKey("/ToUnicode").isStream()) {
      return InvalidArgument("its font " + name + " is a Type0 font without a /ToUnicode map");
    }
    f.code_bytes_ = 2;
    ReadToUnicode(font.getKey("/ToUnicode"), 2, f.chars_);
    f.default_width_ =
        cid_font.getKey("/DW").isNumber() ? cid_font.getKey("/DW").getNumericValue() : 1000;
    if (cid_font.getKey("/W").isArray()) ReadCidWidths(cid_font.getKey("/W"), f.widths_);
    return f;
  }
  if (subtype != "/Type1" && subtype != "/MMType1" && subtype != "/TrueType") {
    return InvalidArgument("its font " + name + " is a " +
                           (subtype.empty() ? std::string("font of no type") : subtype.substr(1)) +
                           " font, not a simple or Identity-H one");
  }
  for (uint32_t code = 0x20; code < 256; ++code) {
    if (code != 0x7F && (code < 0x80 || code >= 0xA0)) f.chars_[code] = code;
  }
  QPDFObjectHandle encoding = font.getKey("/Encoding");
  if (encoding.isDictionary() && encoding.getKey("/Differences").isArray()) {
    int code = 0;
    for (QPDFObjectHandle item : encoding.getKey("/Differences").aitems()) {
      if (item.isInteger()) {
        code = item.getIntValueAsInt();
      } else if (item.isName() && code >= 0 && code < 256) {
        f.chars_[static_cast<uint32_t>(code++)] = GlyphChar(item.getName().substr(1));
      }
    }
  }
  QPDFObjectHandle to_unicode = font.getKey("/ToUnicode");
  if (to_unicode.isStream()) ReadToUnicode(to_unicode, 1, f.chars_);

  QPDFObjectHandle widths = font.getKey("/Widths");
  if (widths.isArray()) {
    QPDFObjectHandle descriptor = font.getKey("/FontDescriptor");
    if (descriptor.isDictionary() && descriptor.getKey("/MissingWidth").isNumber()) {
      f.default_width_ = descriptor.getKey("/MissingWidth").getNumericValue();
    }
    int code =
        font.getKey("/FirstChar").isInteger() ? font.getKey("/FirstChar").getIntValueAsInt() : 0;
    for (QPDFObjectHandle w : widths.aitems()) {
      if (code >= 0 && code < 256 && w.isNumber()) {
        f.widths_[static_cast<uint32_t>(code)] = w.getNumericValue();
      }
      ++code;
    }
    return f;
  }
  const std::string base =
      font.getKey("/BaseFont").isName() ? font.getKey("/BaseFont").getName().substr(1) : "";
  std::optional<PdfFont> metrics = StandardMetrics(base);
  if (!metrics) {
    return InvalidArgument("the glyph widths of its font " + name + " (" + base +
                           ") are unknown (no /Widths)");
  }
  for (int code = 0; code < 256; ++code) {
    f.widths_[static_cast<uint32_t>(code)] =
        TextWidth(*metrics, std::string(1, static_cast<char>(code)), 1000);
  }
  return f;
}

char32_t FontCodes::Decode(uint32_t code) const {
  auto it = chars_.find(code);
  return it == chars_.end() ? kUnknown : it->second;
}

double FontCodes::Width(uint32_t code) const {
  auto it = widths_.find(code);
  return it == widths_.end() ? default_width_ : it->second;
}

}  // namespace countersign
