#include "http/basic_credentials.h"

#include <sodium.h>
#include <strings.h>

namespace countersign::http {

bool IsBasicScheme(std::string_view header) {
  return header.size() >= 6 && strncasecmp(header.data(), "basic ", 6) == 0;
}

std::optional<BasicCredentials> DecodeBasic(std::string_view header, size_t max_encoded) {
  if (!IsBasicScheme(header)) return std::nullopt;
  std::string_view encoded = header.substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  if (encoded.empty() || encoded.size() > max_encoded) return std::nullopt;
  std::string decoded(encoded.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                        encoded.data(), encoded.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  decoded.resize(length);
  BasicCredentials out;
  const size_t colon = decoded.find(':');
  out.has_colon = colon != std::string::npos;
  out.user = decoded.substr(0, colon);
  if (out.has_colon) out.password = decoded.substr(colon + 1);
  return out;
}

}  // namespace countersign::http
