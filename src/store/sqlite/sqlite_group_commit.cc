#include "store/sqlite/sqlite_group_commit.h"

#include <algorithm>
#include <exception>
#include <vector>

#include "store/sqlite/sqlite_write_batch.h"

namespace countersign {

// One caller of Run, on its own stack until its batch is done.
struct SqliteGroupCommit::Writer {
  SqliteBatchMember member;
  bool done = false;  // guarded by mu_
  std::condition_variable wake;
};

SqliteGroupCommit::SqliteGroupCommit(SqlPool<SqliteConnection>& pool, int max_batch)
    : pool_(pool), max_batch_(static_cast<size_t>(std::max(1, max_batch))) {}

Status SqliteGroupCommit::Run(const std::function<Status(SqlConnection&)>& body) {
  Writer self;
  self.member.body = &body;
  std::unique_lock<std::mutex> lock(mu_);
  if (leader_ == std::this_thread::get_id()) {
    return Internal("sqlite: a write was started inside another write transaction");
  }
  queue_.push_back(&self);
  self.wake.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (!self.done) {
    // The leader: take the writers queued so far (itself first) as one batch.
    const size_t size = std::min(queue_.size(), max_batch_);
    std::vector<SqliteBatchMember*> batch;
    batch.reserve(size);
    for (size_t i = 0; i < size; ++i) batch.push_back(&queue_[i]->member);
    leader_ = std::this_thread::get_id();
    lock.unlock();
    SqliteBatchOutcome outcome;
    {
      SqlPool<SqliteConnection>::Lease lease(pool_);
      outcome = RunSqliteWriteBatch(*lease, batch);
    }
    lock.lock();
    leader_ = std::thread::id();
    ++stats_.batches;
    stats_.commits += static_cast<uint64_t>(outcome.commits);
    stats_.transactions += static_cast<uint64_t>(outcome.transactions);
    for (size_t i = 0; i < size; ++i) {
      Writer* writer = queue_.front();
      queue_.pop_front();
      writer->done = true;
      if (writer != &self) writer->wake.notify_one();  // it returns only after we unlock
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
  }
  lock.unlock();
  if (self.member.thrown) std::rethrow_exception(self.member.thrown);
  return self.member.status;
}

SqliteCommitStats SqliteGroupCommit::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace countersign
