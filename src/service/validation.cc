#include "service/validation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "service/text_validation.h"

namespace countersign {

namespace {

bool IsHostLabelChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; }

// Dotted labels of letters, digits and hyphens; no empty label; labels do not start or end
// with '-'.
bool IsHostName(std::string_view host, bool require_dot) {
  if (host.empty() || host.size() > 253) return false;
  size_t start = 0;
  int labels = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label =
        host.substr(start, dot == std::string_view::npos ? host.size() - start : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), IsHostLabelChar)) return false;
    ++labels;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return !require_dot || labels >= 2;
}

bool HasSpaceOrControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// The characters RFC 3986 allows nowhere in a URL (and that browsers and parsers treat
// differently: '\\' is a '/' to some), and '%' not followed by two hex digits.
bool HasBadUrlCharacter(std::string_view url) {
  for (size_t i = 0; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '%') {
      if (i + 2 >= url.size() || !IsHexDigit(url[i + 1]) || !IsHexDigit(url[i + 2])) return true;
    } else if (std::string_view("\"<>\\^`{|}").find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// 1-65535 in decimal digits.
bool IsPort(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

}  // namespace

bool IsValidEmail(const std::string& email) {
  if (email.size() > 254 || HasSpaceOrControl(email)) return false;
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at > 64) return false;
  if (email.find('@', at + 1) != std::string::npos) return false;
  std::string_view local(email.data(), at);
  // RFC 6531 allows UTF-8 in the local part: only well-formed, without controls or bidi overrides.
  if (!CheckPlainText(local, "email").ok()) return false;
  for (char c : local) {
    if (c == '"' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' || c == '<' ||
        c == '>' || c == '[' || c == ']' || c == '\\')
      return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
    return false;
  return IsHostName(std::string_view(email).substr(at + 1), /*require_dot=*/true);
}

bool IsValidHttpUrl(const std::string& url) {
  if (url.size() > 2048 || HasSpaceOrControl(url) || HasBadUrlCharacter(url)) return false;
  // RFC 3986: a URL is ASCII; other characters are percent-encoded (and hosts punycoded).
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return false;
  std::string lower = ToLower(url.substr(0, 8));
  size_t scheme_len;
  if (lower.rfind("https://", 0) == 0) {
    scheme_len = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    scheme_len = 7;
  } else {
    return false;
  }
  std::string_view rest = std::string_view(url).substr(scheme_len);
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return false;  // no credentials in URLs
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {  // IPv6 literal
    size_t close = host.find(']');
    if (close == std::string_view::npos || close <= 1) return false;
    std::string_view after = host.substr(close + 1);
    return after.empty() || (after.front() == ':' && IsPort(after.substr(1)));
  }
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos) {
    if (!IsPort(host.substr(colon + 1))) return false;
    host = host.substr(0, colon);
  }
  return IsHostName(host, /*require_dot=*/false);
}

bool IsValidRedirectUri(const std::string& url) {
  return IsValidHttpUrl(url) && url.find('#') == std::string::npos;
}

bool IsValidDomain(const std::string& domain) {
  return !HasSpaceOrControl(domain) && IsHostName(domain, /*require_dot=*/false);
}

bool IsSupportedLocale(const std::string& locale) {
  static const std::array<std::string_view, 22> kLocales = {
      "cs-CZ", "da-DK", "de-DE", "el-GR", "en-GB", "en-US", "es-ES", "es-MX",
      "fi-FI", "fr-FR", "hu-HU", "id-ID", "it-IT", "ja-JP", "ko-KR", "ms-MY",
      "nl-NL", "no-NO", "pl-PL", "pt-BR", "ru-RU", "sv-SE"};
  static const std::array<std::string_view, 6> kMore = {"th-TH", "tr-TR", "uk-UA",
                                                        "vi-VN", "zh-CN", "zh-TW"};
  return std::find(kLocales.begin(), kLocales.end(), locale) != kLocales.end() ||
         std::find(kMore.begin(), kMore.end(), locale) != kMore.end();
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace countersign
