// Tests of MailWorker over the real SQLite queue (":memory:") with a scripted fake Mailer and a
// FakeClock: retries with backoff, permanent failures, attempt limits and the thread's life.
#include "mail/mail_worker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {
namespace {

// Returns the scripted results in order (Ok once the script is used up); records every call.
class FakeMailer : public Mailer {
 public:
  void Script(std::vector<Status> results) {
    std::lock_guard<std::mutex> lock(mu_);
    results_.assign(results.begin(), results.end());
  }
  Status Send(const MailMessage& message, const std::string& message_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(message_id + " " + message.to_email);
    if (results_.empty()) return Status::Ok();
    Status result = results_.front();
    results_.pop_front();
    return result;
  }
  std::vector<std::string> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::deque<Status> results_;
  std::vector<std::string> calls_;
};

// Delegates to a real store and records the outcomes the worker reports.
class RecordingQueue : public MailQueueStore {
 public:
  explicit RecordingQueue(MailQueueStore& real) : real_(real) {}
  Status Enqueue(const QueuedMail& mail) override { return real_.Enqueue(mail); }
  StatusOr<std::vector<QueuedMail>> ClaimDue(int64_t now, int limit,
                                             int64_t lease_seconds) override {
    return real_.ClaimDue(now, limit, lease_seconds);
  }
  Status MarkSent(const std::string& id, int64_t now) override {
    Record("sent " + id + " " + std::to_string(now));
    return real_.MarkSent(id, now);
  }
  // One event for the whole batch: "sent id1,id2 now".
  StatusOr<int> MarkAllSent(const std::vector<std::string>& ids, int64_t now) override {
    std::string joined;
    for (const std::string& id : ids) joined += (joined.empty() ? "" : ",") + id;
    Record("sent " + joined + " " + std::to_string(now));
    return real_.MarkAllSent(ids, now);
  }
  Status MarkRetry(const std::string& id, int64_t retry_at, const std::string& error) override {
    Record("retry " + id + " " + std::to_string(retry_at) + " " + error);
    return real_.MarkRetry(id, retry_at, error);
  }
  Status MarkFailed(const std::string& id, int64_t now, const std::string& error) override {
    Record("failed " + id + " " + std::to_string(now) + " " + error);
    return real_.MarkFailed(id, now, error);
  }
  Status Release(const std::vector<std::string>& ids) override {
    for (const std::string& id : ids) Record("released " + id);
    return real_.Release(ids);
  }
  std::vector<std::string> events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }

 private:
  void Record(std::string event) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(event));
  }
  MailQueueStore& real_;
  std::mutex mu_;
  std::vector<std::string> events_;
};

constexpr int64_t kT0 = 1700000000;

class MailWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Stores> opened = OpenSqliteStores(":memory:", 2);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    stores_ = std::move(opened).value();
    queue_ = std::make_unique<RecordingQueue>(*stores_.mail_queue);
  }

  void Enqueue(const std::string& id) {
    QueuedMail mail;
    mail.id = id;
    mail.message.to_email = id + "@example.com";
    mail.message.subject = "s";
    mail.next_attempt_at = clock_.NowSeconds();
    mail.created_at = clock_.NowSeconds();
    ASSERT_TRUE(queue_->Enqueue(mail).ok());
  }

  Stores stores_;
  std::unique_ptr<RecordingQueue> queue_;
  FakeMailer mailer_;
  FakeClock clock_{kT0};
};

Status Temporary() { return Status(Code::kUnavailable, "451 busy"); }

TEST(MailRetryDelayTest, DoublesFromBaseUpToCap) {
  MailWorkerOptions options;
  std::vector<int64_t> delays;
  for (int n = 1; n <= 9; ++n) delays.push_back(MailRetryDelaySeconds(n, options));
  EXPECT_EQ(delays, (std::vector<int64_t>{30, 60, 120, 240, 480, 960, 1920, 3600, 3600}));
  EXPECT_EQ(MailRetryDelaySeconds(1000000, options), 3600);
  options.retry_base_seconds = 0;
  EXPECT_EQ(MailRetryDelaySeconds(5, options), 0);
  options.retry_base_seconds = 1;
  options.retry_max_seconds = INT64_MAX;
  EXPECT_EQ(MailRetryDelaySeconds(200, options), INT64_MAX);  // no overflow
}

TEST_F(MailWorkerTest, TemporaryFailuresAreRetriedWithBackoffThenSentOnce) {
  MailWorker worker(*queue_, mailer_, clock_);
  Enqueue("m1");
  mailer_.Script({Temporary(), Temporary()});
  EXPECT_EQ(worker.RunOnce(), 1);  // attempt 1 fails: due again in 30 s
  EXPECT_EQ(worker.RunOnce(), 0);
  clock_.Advance(29);
  EXPECT_EQ(worker.RunOnce(), 0);
  clock_.Advance(1);
  EXPECT_EQ(worker.RunOnce(), 1);  // attempt 2 fails: due again in 60 s
  clock_.Advance(59);
  EXPECT_EQ(worker.RunOnce(), 0);
  clock_.Advance(1);
  EXPECT_EQ(worker.RunOnce(), 1);  // attempt 3 succeeds
  clock_.Advance(100000);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_EQ(mailer_.calls().size(), 3u);
  EXPECT_EQ(queue_->events(), (std::vector<std::string>{
                                  "retry m1 " + std::to_string(kT0 + 30) + " 451 busy",
                                  "retry m1 " + std::to_string(kT0 + 90) + " 451 busy",
                                  "sent m1 " + std::to_string(kT0 + 90),
                              }));
}

TEST_F(MailWorkerTest, PermanentFailureIsNotRetried) {
  MailWorker worker(*queue_, mailer_, clock_);
  Enqueue("m1");
  Enqueue("m2");
  mailer_.Script({InvalidArgument("550 no such user")});
  EXPECT_EQ(worker.RunOnce(), 2);
  clock_.Advance(100000);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_EQ(mailer_.calls().size(), 2u);
  EXPECT_EQ(queue_->events(), (std::vector<std::string>{
                                  "failed m1 " + std::to_string(kT0) + " 550 no such user",
                                  "sent m2 " + std::to_string(kT0),
                              }));
}

TEST_F(MailWorkerTest, GivesUpAfterMaxAttemptsAndRetriesOtherErrors) {
  MailWorkerOptions options;
  options.max_attempts = 3;
  options.retry_base_seconds = 10;
  MailWorker worker(*queue_, mailer_, clock_, options);
  Enqueue("m1");
  mailer_.Script({Internal("odd"), Temporary(), Temporary(), Temporary()});
  for (int i = 0; i < 5; ++i) {
    worker.RunOnce();
    clock_.Advance(1000);
  }
  EXPECT_EQ(mailer_.calls().size(), 3u);
  std::vector<std::string> events = queue_->events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], "retry m1 " + std::to_string(kT0 + 10) + " odd");
  EXPECT_EQ(events[1], "retry m1 " + std::to_string(kT0 + 1000 + 20) + " 451 busy");
  EXPECT_EQ(events[2], "failed m1 " + std::to_string(kT0 + 2000) + " 451 busy");
}

// A FakeMailer whose messages are durable only at Flush (as the outbox's): records the queue's
// events at each Flush and answers the scripted Flush results (Ok once they are used up).
class GroupingMailer : public FakeMailer {
 public:
  GroupingMailer(RecordingQueue& queue, std::vector<Status> flushes)
      : queue_(queue), flushes_(flushes.begin(), flushes.end()) {}
  bool GroupsDurability() const override { return true; }
  Status Flush() override {
    events_at_flush_.push_back(queue_.events().size());
    if (flushes_.empty()) return Status::Ok();
    Status result = flushes_.front();
    flushes_.pop_front();
    return result;
  }
  std::vector<size_t> events_at_flush() const { return events_at_flush_; }

 private:
  RecordingQueue& queue_;
  std::deque<Status> flushes_;
  std::vector<size_t> events_at_flush_;
};

TEST_F(MailWorkerTest, GroupedMailIsMarkedSentOnlyAfterOneFlushPerPass) {
  GroupingMailer mailer(*queue_, {});
  MailWorker worker(*queue_, mailer, clock_);
  Enqueue("m1");
  Enqueue("m2");
  Enqueue("m3");
  mailer.Script({Status::Ok(), InvalidArgument("550 no such user")});
  EXPECT_EQ(worker.RunOnce(), 3);
  // The permanent failure is recorded at once; m1 and m3 only after the one Flush, together.
  EXPECT_EQ(mailer.events_at_flush(), (std::vector<size_t>{1}));
  EXPECT_EQ(queue_->events(), (std::vector<std::string>{
                                  "failed m2 " + std::to_string(kT0) + " 550 no such user",
                                  "sent m1,m3 " + std::to_string(kT0),
                              }));
  EXPECT_EQ(worker.RunOnce(), 0);  // recorded: nothing is due again
}

TEST_F(MailWorkerTest, GroupedMailWhoseFlushFailedIsRetried) {
  GroupingMailer mailer(*queue_, {Temporary()});
  MailWorker worker(*queue_, mailer, clock_);
  Enqueue("m1");
  Enqueue("m2");
  EXPECT_EQ(worker.RunOnce(), 2);
  EXPECT_EQ(queue_->events(), (std::vector<std::string>{
                                  "retry m1 " + std::to_string(kT0 + 30) + " 451 busy",
                                  "retry m2 " + std::to_string(kT0 + 30) + " 451 busy",
                              }));
  clock_.Advance(30);
  EXPECT_EQ(worker.RunOnce(), 2);  // sent again, flushed this time
  EXPECT_EQ(mailer.calls().size(), 4u);
  EXPECT_EQ(queue_->events().back(), "sent m1,m2 " + std::to_string(kT0 + 30));
}

// Polls `done` for up to five seconds.
template <typename Fn>
bool WaitFor(Fn done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

TEST_F(MailWorkerTest, BackgroundThreadRetriesAndSends) {
  MailWorkerOptions options;
  options.poll_interval = std::chrono::milliseconds(10);
  options.retry_base_seconds = 0;  // due again at once, so the fake clock need not move
  MailWorker worker(*queue_, mailer_, clock_, options);
  Enqueue("m1");
  mailer_.Script({Temporary(), Temporary()});
  worker.Start();
  worker.Start();  // no-op
  ASSERT_TRUE(WaitFor([&] { return queue_->events().size() == 3; }));
  worker.Stop();
  worker.Stop();  // no-op
  EXPECT_EQ(mailer_.calls().size(), 3u);
  EXPECT_EQ(queue_->events().back(), "sent m1 " + std::to_string(kT0));
}

TEST_F(MailWorkerTest, WakeStartsAPassBeforeThePollInterval) {
  MailWorkerOptions options;
  options.poll_interval = std::chrono::hours(1);
  MailWorker worker(*queue_, mailer_, clock_, options);
  worker.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the first pass found nothing
  Enqueue("m1");
  worker.Wake();
  EXPECT_TRUE(WaitFor([&] { return mailer_.calls().size() == 1; }));
  // The destructor stops the thread without waiting for the hour.
}

// Blocks its first Send until Release(); counts the calls.
class GateMailer : public Mailer {
 public:
  Status Send(const MailMessage&, const std::string&) override {
    std::unique_lock<std::mutex> lock(mu_);
    ++calls_;
    entered_.notify_all();
    open_cv_.wait(lock, [this] { return open_; });
    return Status::Ok();
  }
  void WaitEntered() {
    std::unique_lock<std::mutex> lock(mu_);
    entered_.wait(lock, [this] { return calls_ > 0; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    open_cv_.notify_all();
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable entered_, open_cv_;
  int calls_ = 0;
  bool open_ = false;
};

TEST_F(MailWorkerTest, StopFinishesTheMailBeingSentAndReleasesTheRestOfTheBatch) {
  Enqueue("m1");
  Enqueue("m2");
  Enqueue("m3");
  GateMailer gate;
  MailWorkerOptions options;
  options.poll_interval = std::chrono::milliseconds(10);
  MailWorker worker(*queue_, gate, clock_, options);
  worker.Start();
  EXPECT_TRUE(worker.Running());
  gate.WaitEntered();  // m1 is being sent; m2 and m3 are claimed with a lease
  std::thread stopper([&] { worker.Stop(); });
  ASSERT_TRUE(WaitFor([&] { return !worker.Running(); }));
  gate.Open();
  stopper.join();
  EXPECT_EQ(gate.calls(), 1);
  std::vector<std::string> events = queue_->events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], "sent m1 " + std::to_string(kT0));
  EXPECT_EQ(events[1], "released m2");
  EXPECT_EQ(events[2], "released m3");
  // Claimable again at once, not only after the lease.
  auto again = queue_->ClaimDue(kT0, 10, 60);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 2u);
}

}  // namespace
}  // namespace countersign
