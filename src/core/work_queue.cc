#include "core/work_queue.h"

#include <algorithm>
#include <exception>

#include "core/background_worker.h"
#include "core/log.h"

namespace countersign {

WorkQueue::WorkQueue(std::string name, int threads, size_t capacity)
    : short_name_(name), name_("work[" + std::move(name) + "]"), capacity_(capacity) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Loop(); });
}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkQueue::TrySubmit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Idle threads take a job at once; only jobs beyond them wait and count against capacity.
    if (stopping_ || jobs_.size() >= capacity_ + idle_) return false;
    jobs_.push_back({std::move(job), std::chrono::steady_clock::now()});
  }
  cv_.notify_one();
  return true;
}

size_t WorkQueue::Waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

WorkQueue::Stats WorkQueue::Snapshot() const {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  Stats stats;
  stats.waiting = jobs_.size();
  stats.running = running_;
  if (!jobs_.empty()) {
    stats.oldest_wait_seconds =
        std::chrono::duration<double>(now - jobs_.front().queued_at).count();
  }
  return stats;
}

void WorkQueue::Loop() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++idle_;
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping and drained
      job = std::move(jobs_.front().run);
      jobs_.pop_front();
      ++running_;
    }
    Status st = GuardItem([&job] {
      job();
      return Status::Ok();
    });
    if (!st.ok()) log::Warn(name_, st.ToString());
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
  }
}

}  // namespace countersign
