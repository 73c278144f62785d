#include "core/status.h"

namespace countersign {

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string s = "code " + std::to_string(static_cast<int>(code_)) + ": " + message_;
  if (!path_.empty()) s += " (" + path_ + ")";
  return s;
}

}  // namespace countersign
