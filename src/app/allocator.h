// The server's memory allocator.
//
// The `countersign` binary is linked with jemalloc (CMake option CS_JEMALLOC, on by default),
// which replaces malloc/free for the whole process. glibc's malloc made every thread pay for
// arena locks and for blocks freed on another thread than the one that allocated them (a
// request's objects are built on one event loop and often freed by the SQLite committer or a
// worker): a Bearer GET spent ~17–21 µs of user CPU with it and ~13–15 µs with jemalloc, and
// the refresh grant ~10 % less CPU (bench/RESULTS.md). jemalloc keeps freed pages of blocks up
// to 8 MB mapped for ~10 s while it is busy (its decay; with no background thread, an idle
// server purges them on its next allocations), so the next request's body reuses them without
// page faults; larger blocks are returned to the kernel at once.
//
// A build without it (-DCS_JEMALLOC=OFF, e.g. for valgrind's memcheck) keeps glibc's malloc,
// tuned by ConfigureAllocator for request bodies of up to a few MB held in memory: by default
// glibc serves such blocks with mmap and returns freed memory above 128 KB to the kernel, so
// every request would get fresh pages and fault on each first touch (a 1 MB body: up to 256
// faults, costly in a virtual machine). Blocks below `largest_in_memory_body` then stay on the
// heap and freed memory is not trimmed; larger bodies (uploads spilled to disk are never in
// memory) keep their own mappings.
#pragma once

#include <cstddef>
#include <string>

namespace countersign {

// Call once at start-up, before the server threads start.
void ConfigureAllocator(size_t largest_in_memory_body);

// "jemalloc <version>" or "glibc malloc": which allocator this binary runs on, for the start-up
// log.
std::string AllocatorName();

}  // namespace countersign
