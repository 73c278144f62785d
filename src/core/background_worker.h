// BackgroundWorker: the one primitive behind every background loop (mail delivery, event
// callbacks, the request advancer). It runs `pass` on `threads` threads: a pass claims due work
// (with a lease in the store, so other instances and threads skip it), handles it and returns how
// many items it handled. After an idle pass (0) a thread sleeps for `poll_interval` or until
// Wake(); after a busy one it goes straight on. Stop() lets the passes in progress finish and
// joins the threads.
//
// Exception barrier: an exception escaping a pass is caught, logged with the worker's name and
// counted as an idle pass, so one bad item can never end the thread or the process. Workers
// also guard each item with GuardItem() so that only that item is failed (with backoff) and the
// rest of the batch goes on.
//
// Thread-safe: Start, Stop and Wake may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"

namespace countersign {

struct BackgroundWorkerOptions {
  std::string name;  // "mail", "events", "advance": the prefix of its log lines
  int threads = 1;
  std::chrono::milliseconds poll_interval{500};
};

class BackgroundWorker {
 public:
  // `pass` returns how many items it handled; it must be safe to run on several threads at once
  // when options.threads > 1.
  BackgroundWorker(BackgroundWorkerOptions options, std::function<int()> pass);
  ~BackgroundWorker();  // Stop()
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Starts the threads; no-op when they run.
  void Start();
  // Asks the threads to stop after their current pass and joins them; no-op when stopped.
  void Stop();
  // Ends the idle wait of every thread now.
  void Wake();
  // True once Stop() was called (a long pass may check it between items).
  bool StopRequested() const;
  // True from Start() until Stop() is called (readiness checks).
  bool Running() const;

  // Runs one pass on the calling thread behind the exception barrier; returns its count (0 when
  // it threw). For tests and one-shot tools, not alongside started threads.
  int RunPass();

 private:
  void Loop();

  const BackgroundWorkerOptions options_;
  const std::function<int()> pass_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool woken_ = false;     // guarded by mu_
  bool running_ = false;   // guarded by mu_; threads started and not yet joined
  std::vector<std::thread> threads_;
  std::mutex start_stop_mu_;  // serialises Start and Stop
};

// Runs `work` for one item behind an exception barrier: an exception becomes
// Status(kInternal, "<what>") instead of escaping, so the caller can fail that item (retry with
// backoff, or give up) and go on with the next.
Status GuardItem(const std::function<Status()>& work);

}  // namespace countersign
