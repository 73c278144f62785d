// WorkQueue: a bounded pool for slow work that must not run on the HTTP threads (fetching
// file_urls, password and PIN hashing, page rendering, PDF work). `threads` threads take jobs
// from a FIFO; at most `capacity` jobs wait while all threads are busy; TrySubmit refuses a job
// instead of queueing beyond that, so the caller can answer 503 with Retry-After and everyone else
// keeps being served. A job that throws is caught and logged; it never ends a thread.
//
// Thread-safe. The destructor stops taking jobs, runs the ones already queued and joins.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace countersign {

class WorkQueue {
 public:
  // `name` prefixes log lines ("work[fetch]: ...").
  WorkQueue(std::string name, int threads, size_t capacity);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `job`; false (and `job` is not run) when every thread is busy and `capacity` jobs
  // are already waiting, or the queue is shutting down.
  bool TrySubmit(std::function<void()> job);

  // Jobs waiting (not yet started); for tests and metrics.
  size_t Waiting() const;

  // What metrics show of the queue at one moment.
  struct Stats {
    size_t waiting = 0;              // jobs not yet started
    size_t running = 0;              // jobs being run
    double oldest_wait_seconds = 0;  // how long the oldest waiting job has waited; 0 if none
  };
  Stats Snapshot() const;

  // The name given at construction ("compute", "fetch").
  const std::string& name() const { return short_name_; }

 private:
  void Loop();

  const std::string short_name_;
  const std::string name_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  struct Job {
    std::function<void()> run;
    std::chrono::steady_clock::time_point queued_at;
  };
  std::deque<Job> jobs_;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  size_t idle_ = 0;        // threads waiting for a job; guarded by mu_
  size_t running_ = 0;     // threads running a job; guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace countersign
