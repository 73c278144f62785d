// PagePreviews: the signing page's page images, rendered by a PageRenderer within RenderLimits,
// kept in a memory cache bounded in bytes (least recently used out first; a page that failed
// to render is remembered too, so a hostile page costs one render, not one per request), and
// rendered at most `max_concurrent` at a time: a caller waits up to `max_wait_ms` for a slot
// when no more than `max_waiting` are already waiting, else gets kUnavailable (the page answers
// 503 with Retry-After). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "pdf/page_renderer.h"

namespace countersign {

class PagePreviews {
 public:
  struct Options {
    RenderLimits limits;
    int max_concurrent = 2;
    int max_waiting = 8;
    int max_wait_ms = 5'000;
    size_t cache_bytes = size_t{64} << 20;
  };

  PagePreviews(const PageRenderer& renderer, Options options);

  // The PNG of page `page_index` of the document whose content hash is `sha256`, stored at
  // `pdf_path`. kUnavailable when no render slot came free in time; otherwise the renderer's
  // result (errors included), cached under (sha256, page, limits).
  StatusOr<std::string> Png(const std::string& sha256, const std::string& pdf_path, int page_index);

  // How many renders ran (cache misses that got a slot), for tests and metrics.
  int64_t renders() const;

 private:
  struct Entry {
    std::string key;
    Status status;
    std::string png;
  };

  // The cached result for `key`, moved to the front; nullptr when absent. Needs mutex_.
  const Entry* Find(const std::string& key);
  // Adds a result, then drops the oldest entries over cache_bytes. Needs mutex_.
  void Insert(Entry entry);

  const PageRenderer& renderer_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable slot_free_;
  int running_ = 0;
  int waiting_ = 0;
  int64_t renders_ = 0;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t cached_bytes_ = 0;
};

}  // namespace countersign
