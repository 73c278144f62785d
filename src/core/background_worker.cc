#include "core/background_worker.h"

#include <algorithm>
#include <exception>

#include "core/log.h"

namespace countersign {

BackgroundWorker::BackgroundWorker(BackgroundWorkerOptions options, std::function<int()> pass)
    : options_(std::move(options)), pass_(std::move(pass)) {}

BackgroundWorker::~BackgroundWorker() { Stop(); }

void BackgroundWorker::Start() {
  std::lock_guard<std::mutex> start_stop(start_stop_mu_);
  if (!threads_.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
    running_ = true;
  }
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] { Loop(); });
  }
}

void BackgroundWorker::Stop() {
  std::lock_guard<std::mutex> start_stop(start_stop_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
}

void BackgroundWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool BackgroundWorker::StopRequested() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

bool BackgroundWorker::Running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_ && !stopping_;
}

int BackgroundWorker::RunPass() {
  try {
    return pass_();
  } catch (const std::exception& e) {
    log::Error(options_.name, "pass failed", {{"error", e.what()}});
  } catch (...) {
    log::Error(options_.name, "pass failed with an unknown exception");
  }
  return 0;
}

void BackgroundWorker::Loop() {
  while (true) {
    const int done = RunPass();
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    if (done > 0) continue;  // busy: more may be due now
    cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || woken_; });
    woken_ = false;
    if (stopping_) return;
  }
}

Status GuardItem(const std::function<Status()>& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected exception: ") + e.what());
  } catch (...) {
    return Internal("unexpected exception");
  }
}

}  // namespace countersign
