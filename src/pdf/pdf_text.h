// Text helpers for drawing with the standard 14 fonts: UTF-8 to WinAnsiEncoding, PDF string
// literals, glyph widths (for wrapping and fitting), number and UTC date formatting.
// Thread-safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace countersign {

// The standard fonts the finalizer draws with; all are used with /WinAnsiEncoding.
enum class PdfFont { kHelvetica, kHelveticaBold, kHelveticaOblique, kCourier };

inline constexpr PdfFont kAllPdfFonts[] = {PdfFont::kHelvetica, PdfFont::kHelveticaBold,
                                           PdfFont::kHelveticaOblique, PdfFont::kCourier};

// The /BaseFont name without the slash ("Helvetica-Oblique").
const char* PdfFontBaseName(PdfFont font);
// The page resource name with the slash ("/CsSealF1"); unlikely to collide with a document's.
const char* PdfFontResourceName(PdfFont font);

// Converts UTF-8 to WinAnsiEncoding bytes. Characters WinAnsi lacks and malformed sequences
// become '?'; control characters (tab, newline...) become spaces.
std::string ToWinAnsi(std::string_view utf8);

// A PDF literal string "(...)" holding `bytes`, with ( ) \ escaped and bytes outside printable
// ASCII written as octal escapes.
std::string PdfLiteral(std::string_view bytes);

// Width in points of WinAnsi `text` set in `font` at `size`. Widths of characters outside
// ASCII are conservative estimates (never narrower than the glyph).
double TextWidth(PdfFont font, std::string_view text, double size);

// Splits WinAnsi `text` into lines no wider than `max_width`, breaking at spaces where possible
// and inside words that are wider than a line. Returns at least one (possibly empty) line.
std::vector<std::string> WrapText(PdfFont font, double size, double max_width,
                                  std::string_view text);

// Shortens WinAnsi `text` with "..." so that it fits in `max_width`.
std::string Ellipsize(PdfFont font, double size, double max_width, std::string_view text);

// A number for a content stream: at most 3 decimals, no trailing zeros, no exponent.
std::string PdfNumber(double value);

// "2024-05-01 12:34:56 UTC" for unix seconds.
std::string FormatUtc(int64_t unix_seconds);

// "D:20240501123456Z" (a PDF date string body) for unix seconds.
std::string PdfDate(int64_t unix_seconds);

}  // namespace countersign
