// SqlMailQueueStore: MailQueueStore over the `mail_queue` table (migration 0002).
// A mail is pending (status 0), sent (1) or failed (2). ClaimDue selects due rows (skipping
// rows another transaction is claiming, SqlDialect::ClaimRows) and leases them in the same
// transaction, so instances claiming at once take disjoint sets and none claims a mail while
// its lease runs.
// Thread-safe (every call borrows its own pooled connection).
//
// Every Mark* call counts one attempt (attempts + 1), so a sent or failed mail records how many
// tries it took, and clears the lease. MarkFailed stores its `now` in next_attempt_at (the table
// has no separate column for it), so a failed mail records when it was given up.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/mail_queue_store.h"
#include "store/sql/sql_connection.h"
#include "store/sql/sql_database.h"

namespace countersign {

// Inserts `mail` as pending on `connection`, inside the caller's write transaction (other
// stores call this to queue mail atomically with their own change). kConflict when the
// id is taken.
Status InsertQueuedMail(SqlConnection& connection, const QueuedMail& mail);

class SqlMailQueueStore : public MailQueueStore {
 public:
  explicit SqlMailQueueStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  // kConflict when the id is taken.
  Status Enqueue(const QueuedMail& mail) override;
  // Pending mails with next_attempt_at <= now and leased_until <= now, oldest due first (ties
  // by id), leased until now + lease_seconds. An empty list for limit <= 0.
  StatusOr<std::vector<QueuedMail>> ClaimDue(int64_t now, int limit,
                                             int64_t lease_seconds) override;
  // The three below: kNotFound for an unknown id, kConflict when the mail is no longer pending
  // (already sent or failed); nothing is written then.
  Status MarkSent(const std::string& id, int64_t now) override;
  StatusOr<int> MarkAllSent(const std::vector<std::string>& ids, int64_t now) override;
  Status MarkRetry(const std::string& id, int64_t retry_at, const std::string& error) override;
  Status MarkFailed(const std::string& id, int64_t now, const std::string& error) override;
  Status Release(const std::vector<std::string>& ids) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
