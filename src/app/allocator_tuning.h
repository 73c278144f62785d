// Tuning of glibc's malloc for a server that holds request bodies of up to a few MB in memory.
//
// By default glibc serves such blocks with mmap and returns freed memory above 128 KB to the
// kernel (munmap, or madvise for a thread's arena), adjusting the thresholds as it goes; either
// way many requests get fresh pages, and every first touch of each 4 KB page is a page fault (a
// 1 MB upload body: up to 256 faults, costly in a virtual machine). Keeping blocks below
// `largest_in_memory_body` on the heap and not trimming what is freed lets the next request
// reuse the same, already mapped pages. Bodies above it (uploads spilled to disk are never in
// memory) keep their own mappings. Call once at start-up, before the server threads start.
#pragma once

#include <cstddef>

namespace countersign {

void TuneAllocatorForBodies(size_t largest_in_memory_body);

}  // namespace countersign
