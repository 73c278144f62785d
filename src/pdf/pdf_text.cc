#include "pdf/pdf_text.h"

#include <time.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace countersign {

namespace {

// Advance widths (1/1000 em) of ASCII 32..126 in Helvetica and Helvetica-Bold (Adobe AFM).
constexpr short kHelvetica[95] = {
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '..'/'
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // '@'..'O'
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // 'P'..'_'
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // '`'..'o'
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // 'p'..'~'
constexpr short kHelveticaBold[95] = {
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584};
// For WinAnsi 0xC0..0xFF: an ASCII letter at least as wide as the accented one, '*' = 1000.
constexpr char kLatin1Base[] =
    "AAAAAA*CEEEEIIIIDNOOOOO+OUUUUYP*"
    "aaaaaa*ceeeetttt"
    "onooooo+ouuuuypy";

// WinAnsi codes 0x80..0x9F and the Unicode code points they stand for (0 = unused).
constexpr char32_t kWinAnsiHigh[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char EncodeCodePoint(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return ' ';
  if (cp < 0x7F) return static_cast<char>(cp);
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<char>(cp);
  for (int i = 0; i < 32; ++i) {
    if (kWinAnsiHigh[i] == cp) return static_cast<char>(0x80 + i);
  }
  return '?';
}

double GlyphWidth(PdfFont font, unsigned char c) {
  if (font == PdfFont::kCourier) return 600;
  const short* table = font == PdfFont::kHelveticaBold ? kHelveticaBold : kHelvetica;
  if (c >= 0xC0) {
    char base = kLatin1Base[c - 0xC0];
    if (base == '*') return 1000;
    if (base == '+') return 584;
    c = static_cast<unsigned char>(base);
  }
  if (c >= 32 && c <= 126) return table[c - 32];
  return 1000;
}

}  // namespace

const char* PdfFontBaseName(PdfFont font) {
  switch (font) {
    case PdfFont::kHelvetica:
      return "Helvetica";
    case PdfFont::kHelveticaBold:
      return "Helvetica-Bold";
    case PdfFont::kHelveticaOblique:
      return "Helvetica-Oblique";
    case PdfFont::kCourier:
      return "Courier";
  }
  return "Helvetica";
}

const char* PdfFontResourceName(PdfFont font) {
  switch (font) {
    case PdfFont::kHelvetica:
      return "/CsSealF1";
    case PdfFont::kHelveticaBold:
      return "/CsSealF2";
    case PdfFont::kHelveticaOblique:
      return "/CsSealF3";
    case PdfFont::kCourier:
      return "/CsSealF4";
  }
  return "/CsSealF1";
}

std::string ToWinAnsi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    auto lead = static_cast<unsigned char>(utf8[i]);
    int extra = -1;
    if (lead < 0x80) {
      extra = 0;
    } else if ((lead >> 5) == 0x6) {
      extra = 1;
    } else if ((lead >> 4) == 0xE) {
      extra = 2;
    } else if ((lead >> 3) == 0x1E) {
      extra = 3;
    }
    if (extra < 0 || utf8.size() - i <= static_cast<size_t>(extra)) {
      out += '?';
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? lead : lead & (0x3F >> extra);
    bool valid = true;
    for (int k = 1; k <= extra; ++k) {
      auto cont = static_cast<unsigned char>(utf8[i + k]);
      if ((cont & 0xC0) != 0x80) {
        valid = false;
        break;
      }
      cp = (cp << 6) | (cont & 0x3F);
    }
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    out += EncodeCodePoint(cp);
    i += extra + 1;
  }
  return out;
}

std::string PdfLiteral(std::string_view bytes) {
  std::string out = "(";
  out.reserve(bytes.size() + 2);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 32 || c >= 127) {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\%03o", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += ')';
  return out;
}

double TextWidth(PdfFont font, std::string_view text, double size) {
  double units = 0;
  for (char c : text) units += GlyphWidth(font, static_cast<unsigned char>(c));
  return units * size / 1000.0;
}

std::vector<std::string> WrapText(PdfFont font, double size, double max_width,
                                  std::string_view text) {
  std::vector<std::string> lines;
  std::string line;
  auto fits = [&](std::string_view s) { return TextWidth(font, s, size) <= max_width; };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t space = text.find(' ', pos);
    if (space == std::string_view::npos) space = text.size();
    std::string_view word = text.substr(pos, space - pos);
    pos = space + 1;
    if (word.empty()) continue;
    std::string candidate = line.empty() ? std::string(word) : line + " " + std::string(word);
    if (fits(candidate)) {
      line = std::move(candidate);
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
    // A word wider than a line is cut where it overflows.
    for (char c : word) {
      if (!line.empty() && !fits(line + c)) {
        lines.push_back(std::move(line));
        line.clear();
      }
      line += c;
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string Ellipsize(PdfFont font, double size, double max_width, std::string_view text) {
  if (TextWidth(font, text, size) <= max_width) return std::string(text);
  std::string out(text);
  while (!out.empty() && TextWidth(font, out + "...", size) > max_width) out.pop_back();
  return out + "...";
}

std::string PdfNumber(double value) {
  if (!std::isfinite(value)) return "0";
  // As "%.3f", without printf's locale and format parsing (content streams hold many numbers).
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, 3);
  if (ec != std::errc()) return "0";
  std::string out(buf, end);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out;
}

std::string FormatUtc(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  if (gmtime_r(&t, &tm) == nullptr) return "(invalid time)";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string PdfDate(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  if (gmtime_r(&t, &tm) == nullptr) return "D:19700101000000Z";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "D:%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace countersign
