#include "mail/mime.h"

#include <time.h>

#include <cstdio>

namespace countersign {
namespace {

constexpr char kCrlf[] = "\r\n";
// Raw bytes per encoded-word: 36 bytes -> 48 base64 chars -> a 60-character word, so even
// "Subject: " plus one word stays within RFC 2047's 76-character lines.
constexpr size_t kBytesPerEncodedWord = 36;
constexpr size_t kMaxPlainHeaderValue = 900;  // longer ASCII values are encoded (and folded)
constexpr size_t kMaxPlainDisplayName = 200;

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) n |= uint8_t(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Keeps only characters in [A-Za-z0-9] and `extra`.
std::string KeepSafe(std::string_view text, std::string_view extra) {
  std::string out;
  for (char c : text) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || extra.find(c) != std::string_view::npos) out += c;
  }
  return out;
}

// The address as it may appear between angle brackets: no controls, spaces or brackets.
std::string HeaderAddress(std::string_view address) {
  std::string out;
  for (char c : address) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>') continue;
    out += c;
  }
  return out;
}

// Length of the last line of a (possibly folded) header value.
size_t LastLineLength(const std::string& value) {
  size_t newline = value.rfind('\n');
  return newline == std::string::npos ? value.size() : value.size() - newline - 1;
}

// `name <address>` for a header whose name (with ": ") is `header_prefix` characters long.
std::string Mailbox(std::string_view raw_name, std::string_view raw_address, size_t header_prefix) {
  std::string address = HeaderAddress(raw_address);
  std::string name = SanitizeHeaderValue(raw_name);
  size_t first = name.find_first_not_of(' ');
  if (first == std::string::npos) return address;
  name = name.substr(first, name.find_last_not_of(' ') - first + 1);
  std::string phrase;
  if (IsPrintableAscii(name) && name.size() <= kMaxPlainDisplayName &&
      name.find("=?") == std::string::npos) {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    phrase = EncodeRfc2047(name);
  }
  size_t line = phrase.find('\n') == std::string::npos ? header_prefix + phrase.size()
                                                       : LastLineLength(phrase);
  // Keep lines holding encoded-words within 76 characters by folding before the address.
  bool fold = phrase.front() == '=' && line + address.size() + 3 > 76;
  return phrase + (fold ? "\r\n <" : " <") + address + ">";
}

std::string SubjectValue(std::string_view raw_subject) {
  std::string subject = SanitizeHeaderValue(raw_subject);
  if (IsPrintableAscii(subject) && subject.size() <= kMaxPlainHeaderValue &&
      subject.find("=?") == std::string::npos) {
    return subject;
  }
  return EncodeRfc2047(subject);
}

void AppendPart(std::string& out, const std::string& boundary, const char* type,
                std::string_view body) {
  out += "--" + boundary + kCrlf;
  out += std::string("Content-Type: ") + type + "; charset=UTF-8" + kCrlf;
  out += std::string("Content-Transfer-Encoding: quoted-printable") + kCrlf;
  out += kCrlf;
  out += EncodeQuotedPrintable(body);
  out += kCrlf;
}

}  // namespace

std::string SanitizeHeaderValue(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if ((c >= 0 && c < 0x20) || c == 0x7f) c = ' ';
  }
  return out;
}

bool IsPlainMailAddress(std::string_view address) {
  size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : address) {
    if ((c >= 0 && c <= 0x20) || c == 0x7f) return false;
    if (std::string_view("<>()[],;:\"\\").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string Rfc5322Date(int64_t unix_seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

std::string EncodeRfc2047(std::string_view text) {
  std::string out;
  size_t start = 0;
  do {
    size_t end = start;
    // Grow the chunk one UTF-8 sequence at a time (a continuation byte never starts one).
    while (end < text.size()) {
      size_t next = end + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80 &&
             next - end < 4) {
        ++next;
      }
      if (next - start > kBytesPerEncodedWord) {
        if (end == start) end = next;  // cannot happen for sequences <= 4 bytes; be safe
        break;
      }
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(start, end - start)) + "?=";
    start = end;
  } while (start < text.size());
  return out;
}

std::string EncodeQuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t line_length = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += kCrlf;
      line_length = 0;
      continue;
    }
    bool line_end = i + 1 == text.size() || text[i + 1] == '\r' || text[i + 1] == '\n';
    bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
    // A leading '.' is encoded so no transport ever has to dot-stuff (or misread) the line.
    if (line_length + (literal ? 1 : 3) > 75) {  // room for the soft line break '='
      out += "=\r\n";
      line_length = 0;
    }
    if (c == '.' && line_length == 0) literal = false;
    size_t width = literal ? 1 : 3;
    if (literal) {
      out += static_cast<char>(c);
    } else {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
    line_length += width;
  }
  return out;
}

std::string BuildMimeMessage(const MailMessage& message, const std::string& from_address,
                             const std::string& from_name, const std::string& message_id,
                             int64_t date_unix) {
  std::string id = KeepSafe(message_id, "._-");
  if (id.empty()) id = "mail";
  size_t at = from_address.rfind('@');
  std::string domain =
      at == std::string::npos ? std::string() : KeepSafe(from_address.substr(at + 1), ".-");
  if (domain.empty()) domain = "localhost";
  std::string boundary = "=_cs_" + id.substr(0, 60);

  std::string out;
  out += "Date: " + Rfc5322Date(date_unix) + kCrlf;
  out += "From: " + Mailbox(from_name, from_address, 6) + kCrlf;
  out += "To: " + Mailbox(message.to_name, message.to_email, 4) + kCrlf;
  out += "Subject: " + SubjectValue(message.subject) + kCrlf;
  out += "Message-ID: <" + id + "@" + domain + ">" + kCrlf;
  out += std::string("MIME-Version: 1.0") + kCrlf;
  out += std::string("Auto-Submitted: auto-generated") + kCrlf;
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"" + kCrlf;
  out += kCrlf;
  out += std::string("This is a multi-part message in MIME format.") + kCrlf;
  AppendPart(out, boundary, "text/plain", message.text_body);
  AppendPart(out, boundary, "text/html", message.html_body);
  out += "--" + boundary + "--" + kCrlf;
  return out;
}

}  // namespace countersign
