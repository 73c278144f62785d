// DrainState: when a graceful stop may end (requests in progress, open connections, quiet
// period, grace bound), with explicit times.
#include "http/drain_state.h"

#include <gtest/gtest.h>

namespace countersign::http {
namespace {

using std::chrono::milliseconds;
using Clock = DrainState::Clock;

TEST(DrainStateTest, NotDoneBeforeTheStopBegins) {
  DrainState drain(milliseconds(1000), milliseconds(100));
  EXPECT_FALSE(drain.Done(Clock::now()));
  EXPECT_FALSE(drain.draining());
}

TEST(DrainStateTest, WaitsForRequestsInProgressThenConnections) {
  const Clock::time_point t0 = Clock::now();
  DrainState drain(milliseconds(10000), milliseconds(100));
  drain.ConnectionOpened(t0);
  drain.RequestStarted(t0);
  EXPECT_TRUE(drain.BeginDraining(t0));
  EXPECT_FALSE(drain.BeginDraining(t0));             // a second signal
  EXPECT_FALSE(drain.Done(t0 + milliseconds(500)));  // a request is in progress
  drain.RequestFinished(t0 + milliseconds(600));
  EXPECT_FALSE(drain.Done(t0 + milliseconds(650)));  // its connection is still open and recent
  drain.ConnectionClosed(t0 + milliseconds(660));
  EXPECT_TRUE(drain.Done(t0 + milliseconds(661)));
}

TEST(DrainStateTest, AnIdleOpenConnectionEndsTheWaitAfterTheQuietPeriod) {
  const Clock::time_point t0 = Clock::now();
  DrainState drain(milliseconds(10000), milliseconds(100));
  drain.ConnectionOpened(t0);
  drain.BeginDraining(t0 + milliseconds(10));
  EXPECT_FALSE(drain.Done(t0 + milliseconds(50)));
  EXPECT_TRUE(drain.Done(t0 + milliseconds(111)));
}

TEST(DrainStateTest, TheGraceBoundEndsTheWaitWhateverIsInProgress) {
  const Clock::time_point t0 = Clock::now();
  DrainState drain(milliseconds(1000), milliseconds(100));
  drain.RequestStarted(t0);
  drain.BeginDraining(t0);
  EXPECT_FALSE(drain.Done(t0 + milliseconds(999)));
  EXPECT_TRUE(drain.Done(t0 + milliseconds(1000)));
  EXPECT_EQ(drain.in_flight(), 1);
}

}  // namespace
}  // namespace countersign::http
