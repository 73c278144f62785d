#include "store/sqlite/sqlite_group_commit.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_write_batch.h"

namespace countersign {

// One write: a blocking caller's (on its stack until its batch is done) or an asynchronous
// one's (owned by the queue, deleted once `done` was called).
struct SqliteGroupCommit::Writer {
  SqliteBatchMember member;
  Body owned_body;               // asynchronous: the body member.body points to
  Done done;                     // asynchronous: called once; empty for a blocking caller
  bool finished = false;         // guarded by mu_
  bool lead = false;             // a blocking caller told to lead; guarded by mu_
  std::condition_variable wake;  // a blocking caller's
};

SqliteGroupCommit::SqliteGroupCommit(std::unique_ptr<SqliteConnection> writer, int max_batch)
    : writer_(std::move(writer)),
      max_batch_(static_cast<size_t>(std::max(1, max_batch))),
      committer_([this] { CommitterLoop(); }) {}

SqliteGroupCommit::~SqliteGroupCommit() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  committer_wake_.notify_one();
  committer_.join();
}

Status SqliteGroupCommit::Run(const Body& body) {
  Writer self;
  self.member.body = &body;
  std::unique_lock<std::mutex> lock(mu_);
  if (body_thread_ == std::this_thread::get_id()) {
    return Internal("sqlite: a write was started inside another write transaction");
  }
  if (std::this_thread::get_id() == committer_.get_id()) {
    // From a `done` callback: the committer leads, between batches; run it now, alone.
    SqliteBatchMember* batch[] = {&self.member};
    RunMembers(lock, batch);
  } else {
    queue_.push_back(&self);
    if (!leading_) {
      leading_ = true;
      self.lead = true;
    }
    self.wake.wait(lock, [&] { return self.finished || self.lead; });
    if (!self.finished) Lead(lock, &self);
  }
  lock.unlock();
  if (self.member.thrown) std::rethrow_exception(self.member.thrown);
  return self.member.status;
}

void SqliteGroupCommit::Submit(Body body, Done done) {
  auto writer = std::make_unique<Writer>();
  writer->owned_body = std::move(body);
  writer->member.body = &writer->owned_body;
  writer->done = std::move(done);
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) {
    lock.unlock();
    writer->done(Status(Code::kUnavailable, "The server is stopping; try again."));
    return;
  }
  queue_.push_back(writer.release());
  if (leading_) return;  // the current leader passes the lead on when it is done
  leading_ = true;
  committer_turn_ = true;
  lock.unlock();
  committer_wake_.notify_one();
}

void SqliteGroupCommit::Lead(std::unique_lock<std::mutex>& lock, Writer* self) {
  if (self != nullptr) self->lead = false;
  while (!queue_.empty() && (self == nullptr || !self->finished)) RunBatch(lock);
  PassLead();
}

void SqliteGroupCommit::RunMembers(std::unique_lock<std::mutex>& lock,
                                   std::span<SqliteBatchMember* const> members) {
  body_thread_ = std::this_thread::get_id();  // a write started by a body is refused
  lock.unlock();
  const SqliteBatchOutcome outcome = RunSqliteWriteBatch(*writer_, members);
  writer_->RollbackIfOpen();  // what a pool's lease did on return
  lock.lock();
  body_thread_ = std::thread::id();
  ++stats_.batches;
  stats_.commits += static_cast<uint64_t>(outcome.commits);
  stats_.transactions += static_cast<uint64_t>(outcome.transactions);
}

void SqliteGroupCommit::RunBatch(std::unique_lock<std::mutex>& lock) {
  const size_t size = std::min(queue_.size(), max_batch_);
  std::vector<SqliteBatchMember*> batch;
  batch.reserve(size);
  for (size_t i = 0; i < size; ++i) batch.push_back(&queue_[i]->member);
  RunMembers(lock, batch);
  std::vector<std::unique_ptr<Writer>> callbacks;
  for (size_t i = 0; i < size; ++i) {
    Writer* writer = queue_.front();
    queue_.pop_front();
    writer->finished = true;
    if (writer->done) {
      callbacks.emplace_back(writer);
    } else {
      writer->wake.notify_one();  // it returns only after we unlock
    }
  }
  if (callbacks.empty()) return;
  // Still the leader: the next batch waits until the answers are on their way.
  lock.unlock();
  for (std::unique_ptr<Writer>& writer : callbacks) writer->done(writer->member.status);
  callbacks.clear();
  lock.lock();
}

void SqliteGroupCommit::PassLead() {
  if (queue_.empty()) {
    leading_ = false;
    return;
  }
  Writer* next = queue_.front();
  if (next->done) {
    committer_turn_ = true;
    committer_wake_.notify_one();
  } else {
    next->lead = true;
    next->wake.notify_one();
  }
}

void SqliteGroupCommit::CommitterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    committer_wake_.wait(lock, [&] { return committer_turn_ || (stopping_ && !leading_); });
    if (committer_turn_) {
      committer_turn_ = false;
      Lead(lock, nullptr);  // until the queue is empty
      continue;
    }
    return;  // stopping, and nobody leads: the queue is empty
  }
}

SqliteCommitStats SqliteGroupCommit::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace countersign
