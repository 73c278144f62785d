// Paging of the list endpoints (`page` from 1, `page_size` rows a page). Pure; thread-safe.
#pragma once

#include <cstdint>

namespace countersign {

// The rows before page `page` (>= 1) of `page_size` (>= 1): 64-bit, so no page number an int can
// hold overflows it (page 21474838 of 100 is an empty page far past the end, not page 1).
inline int64_t PageOffset(int page, int page_size) {
  return static_cast<int64_t>(page - 1) * page_size;
}

}  // namespace countersign
