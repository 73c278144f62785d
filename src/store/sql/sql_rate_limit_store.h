// SqlRateLimitStore: RateLimitStore over the `rate_limits` table. Thread-safe (every call
// borrows its own pooled connection); Take is one write transaction.
#pragma once

#include <memory>
#include <string>

#include "store/rate_limit_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlRateLimitStore : public RateLimitStore {
 public:
  explicit SqlRateLimitStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  StatusOr<RateTake> Take(const std::string& bucket, int64_t window_start, int64_t limit,
                          int64_t want) override;
  StatusOr<int64_t> Taken(const std::string& bucket, int64_t window_start) override;
  StatusOr<int> DeleteOlderThan(int64_t window_start) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
