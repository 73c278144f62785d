// EmbeddedFile: a file compiled into the binary (templates, SQL migrations) by
// cmake/embed.cmake, so one binary runs without its source tree. Immutable; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace countersign {

struct EmbeddedFile {
  std::string_view name;  // base name, e.g. "0001_initial.sql"
  std::string_view contents;
};

}  // namespace countersign
