// Parsing of multipart/form-data bodies (RFC 7578), on RESTinio's multipart helpers.
// Thread-safe (pure).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace countersign::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // set for file parts
  std::string content_type;             // of the part; empty when not given
  std::string_view data;                // points into the request body (no copy)
};

// Extracts the boundary from `content_type` and splits `body`. kInvalidArgument for a
// missing boundary or a malformed body. The result's `data` views borrow from `body`.
StatusOr<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                               std::string_view body);

}  // namespace countersign::http
