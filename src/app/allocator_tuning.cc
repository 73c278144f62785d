#include "app/allocator_tuning.h"

#include <malloc.h>

#include <algorithm>
#include <climits>

namespace countersign {

void TuneAllocatorForBodies(size_t largest_in_memory_body) {
  // glibc caps the mmap threshold at 32 MB (HEAP_MAX / 2) on 64-bit systems.
  const size_t mmap_threshold = std::min<size_t>(largest_in_memory_body, 32u << 20);
  // Freed memory is kept up to a few such bodies per arena before it goes back to the kernel.
  const size_t trim_threshold = std::min<size_t>(4 * mmap_threshold, INT_MAX);
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold));
}

}  // namespace countersign
