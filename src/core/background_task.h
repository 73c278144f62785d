// BackgroundTask: the base of every class whose work runs as passes of a BackgroundWorker (the
// mail worker, the event worker, the request advancer): it owns the worker and gives the class
// its Start/Stop/Wake/Running controls; the class supplies the pass, RunOnce.
//
// Contract: a derived class calls Stop() in its destructor, so that no thread runs RunOnce while
// its members are being destroyed. Thread-safe as BackgroundWorker.
#pragma once

#include <utility>

#include "core/background_worker.h"

namespace countersign {

class BackgroundTask {
 public:
  BackgroundTask(const BackgroundTask&) = delete;
  BackgroundTask& operator=(const BackgroundTask&) = delete;

  // Starts the threads; no-op when they run.
  void Start() { worker_.Start(); }
  // Asks the threads to stop after their current pass and joins them; no-op when stopped.
  void Stop() { worker_.Stop(); }
  // Ends the threads' idle wait now (e.g. right after new work was queued).
  void Wake() { worker_.Wake(); }
  // True from Start() until Stop() (readiness).
  bool Running() const { return worker_.Running(); }

  // One pass on the calling thread: claims due work and handles it; returns how many items it
  // handled (0 also when claiming failed; logged).
  virtual int RunOnce() = 0;

 protected:
  explicit BackgroundTask(BackgroundWorkerOptions options)
      : worker_(std::move(options), [this] { return RunOnce(); }) {}
  virtual ~BackgroundTask() = default;

  // True once Stop() was called: a long pass checks it between items.
  bool StopRequested() const { return worker_.StopRequested(); }

 private:
  BackgroundWorker worker_;
};

}  // namespace countersign
