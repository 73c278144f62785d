#include "pdf/openssl_handles.h"

#include <openssl/err.h>

namespace countersign {

std::string OpenSslError() {
  std::string out;
  char buf[256];
  for (unsigned long err = ERR_get_error(); err != 0; err = ERR_get_error()) {
    ERR_error_string_n(err, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

}  // namespace countersign
