#include "app/allocator.h"

#ifdef COUNTERSIGN_JEMALLOC
#include <jemalloc/jemalloc.h>
#else
#include <malloc.h>

#include <algorithm>
#include <climits>
#endif

namespace countersign {

#ifdef COUNTERSIGN_JEMALLOC

void ConfigureAllocator(size_t) {}

std::string AllocatorName() {
  const char* version = nullptr;
  size_t size = sizeof version;
  if (mallctl("version", &version, &size, nullptr, 0) != 0 || version == nullptr) {
    return "jemalloc";
  }
  return std::string("jemalloc ") + version;
}

#else

void ConfigureAllocator(size_t largest_in_memory_body) {
  // glibc caps the mmap threshold at 32 MB (HEAP_MAX / 2) on 64-bit systems.
  const size_t mmap_threshold = std::min<size_t>(largest_in_memory_body, 32u << 20);
  // Freed memory is kept up to a few such bodies per arena before it goes back to the kernel.
  const size_t trim_threshold = std::min<size_t>(4 * mmap_threshold, INT_MAX);
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold));
}

std::string AllocatorName() { return "glibc malloc"; }

#endif

}  // namespace countersign
