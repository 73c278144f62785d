// BackgroundWorker and WorkQueue: an exception in a pass or a job never ends a thread, Wake
// ends the idle wait, Stop joins, and a full WorkQueue refuses work instead of queueing it.
#include "core/background_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "core/work_queue.h"

namespace countersign {
namespace {

using namespace std::chrono_literals;

// Waits (bounded) until `done` holds; the bound only keeps a broken build from hanging.
template <typename F>
bool Eventually(F done) {
  for (int i = 0; i < 2000 && !done(); ++i) std::this_thread::sleep_for(5ms);
  return done();
}

TEST(BackgroundWorkerTest, APassThatThrowsDoesNotEndTheThread) {
  std::atomic<int> passes{0};
  BackgroundWorker worker({"test", 1, 10ms}, [&passes]() -> int {
    if (++passes <= 3) throw std::runtime_error("poison item");
    return 0;
  });
  worker.Start();
  EXPECT_TRUE(Eventually([&] { return passes.load() >= 5; }));
  worker.Stop();
}

TEST(BackgroundWorkerTest, RunPassCatchesAndCountsNothing) {
  BackgroundWorker worker({"test", 1, 10ms}, []() -> int { throw std::logic_error("x"); });
  EXPECT_EQ(worker.RunPass(), 0);
}

TEST(BackgroundWorkerTest, WakeEndsTheIdleWaitAndStopJoins) {
  std::atomic<int> passes{0};
  BackgroundWorker worker({"test", 2, std::chrono::hours(1)}, [&passes] {
    ++passes;
    return 0;
  });
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return passes.load() >= 2; }));  // one idle pass per thread
  const int before = passes.load();
  worker.Wake();
  EXPECT_TRUE(Eventually([&] { return passes.load() > before; }));
  worker.Stop();
  EXPECT_TRUE(worker.StopRequested());
  const int after = passes.load();
  worker.Wake();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(passes.load(), after);
}

TEST(GuardItemTest, TurnsExceptionsIntoInternalErrors) {
  Status st = GuardItem([]() -> Status { throw std::runtime_error("bad byte"); });
  EXPECT_EQ(st.code(), Code::kInternal);
  EXPECT_NE(st.message().find("bad byte"), std::string::npos);
  EXPECT_TRUE(GuardItem([] { return Status::Ok(); }).ok());
}

TEST(WorkQueueTest, RefusesBeyondItsCapacityAndRunsWhatItTook) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> ran{0};
  {
    WorkQueue queue("test", 1, 2);
    std::atomic<bool> started{false};
    ASSERT_TRUE(queue.TrySubmit([&] {
      started = true;
      gate.wait();
      ++ran;
    }));
    ASSERT_TRUE(Eventually([&] { return started.load(); }));  // the thread is busy
    EXPECT_TRUE(queue.TrySubmit([&] { ++ran; }));
    EXPECT_TRUE(queue.TrySubmit([&] { ++ran; }));
    EXPECT_FALSE(queue.TrySubmit([&] { ++ran; }));  // two already waiting
    EXPECT_EQ(queue.Waiting(), 2u);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    WorkQueue::Stats stats = queue.Snapshot();
    EXPECT_EQ(stats.waiting, 2u);
    EXPECT_EQ(stats.running, 1u);
    EXPECT_GE(stats.oldest_wait_seconds, 0.015);
    EXPECT_EQ(queue.name(), "test");
    release.set_value();
  }  // the destructor runs what was queued
  EXPECT_EQ(ran.load(), 3);
}

TEST(WorkQueueTest, AJobThatThrowsDoesNotEndItsThread) {
  std::atomic<int> ran{0};
  {
    WorkQueue queue("test", 1, 8);
    ASSERT_TRUE(queue.TrySubmit([] { throw std::runtime_error("boom"); }));
    ASSERT_TRUE(queue.TrySubmit([&] { ++ran; }));
  }
  EXPECT_EQ(ran.load(), 1);
}

TEST(BackgroundWorkerTest, RunningFromStartUntilStop) {
  BackgroundWorker worker({"test", 1, std::chrono::milliseconds(5)}, [] { return 0; });
  EXPECT_FALSE(worker.Running());
  worker.Start();
  EXPECT_TRUE(worker.Running());
  worker.Stop();
  EXPECT_FALSE(worker.Running());
}

}  // namespace
}  // namespace countersign
