#include "pdf/page_previews.h"

#include <chrono>

namespace countersign {

namespace {

constexpr size_t kEntryOverhead = 256;  // key, list and map nodes, roughly

size_t Cost(const std::string& key, const std::string& png) {
  return key.size() + png.size() + kEntryOverhead;
}

}  // namespace

PagePreviews::PagePreviews(const PageRenderer& renderer, Options options)
    : renderer_(renderer), options_(options) {}

int64_t PagePreviews::renders() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return renders_;
}

const PagePreviews::Entry* PagePreviews::Find(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &*it->second;
}

void PagePreviews::Insert(Entry entry) {
  if (index_.count(entry.key) != 0) return;  // rendered meanwhile by another caller
  size_t cost = Cost(entry.key, entry.png);
  if (cost > options_.cache_bytes) return;
  lru_.push_front(std::move(entry));
  index_[lru_.front().key] = lru_.begin();
  cached_bytes_ += cost;
  while (cached_bytes_ > options_.cache_bytes && !lru_.empty()) {
    Entry& last = lru_.back();
    cached_bytes_ -= Cost(last.key, last.png);
    index_.erase(last.key);
    lru_.pop_back();
  }
}

StatusOr<std::string> PagePreviews::Png(const std::string& sha256, const std::string& pdf_path,
                                        int page_index) {
  const RenderLimits& limits = options_.limits;
  const std::string key = sha256 + "/" + std::to_string(page_index) + "/" +
                          std::to_string(limits.dpi) + "/" + std::to_string(limits.max_pixels);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (const Entry* hit = Find(key)) {
      if (!hit->status.ok()) return hit->status;
      return hit->png;
    }
    if (running_ >= options_.max_concurrent) {
      if (waiting_ >= options_.max_waiting) {
        return Status(Code::kUnavailable, "Too many pages are being prepared. Try again soon.");
      }
      ++waiting_;
      bool got = slot_free_.wait_for(lock, std::chrono::milliseconds(options_.max_wait_ms),
                                     [this] { return running_ < options_.max_concurrent; });
      --waiting_;
      if (!got) {
        return Status(Code::kUnavailable, "Too many pages are being prepared. Try again soon.");
      }
      if (const Entry* hit = Find(key)) {  // another caller rendered it while we waited
        if (!hit->status.ok()) return hit->status;
        return hit->png;
      }
    }
    ++running_;
    ++renders_;
  }
  StatusOr<std::string> png = renderer_.RenderPng(pdf_path, page_index, limits);
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  slot_free_.notify_one();
  if (png.ok()) {
    Insert(Entry{key, Status::Ok(), *png});
  } else if (png.status().code() != Code::kUnavailable) {
    Insert(Entry{key, png.status(), ""});
  }
  return png;
}

}  // namespace countersign
