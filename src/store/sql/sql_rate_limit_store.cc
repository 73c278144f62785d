#include "store/sql/sql_rate_limit_store.h"

#include <algorithm>

namespace countersign {

StatusOr<RateTake> SqlRateLimitStore::Take(const std::string& bucket, int64_t window_start,
                                           int64_t limit, int64_t want) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<RateTake> {
    // Creates the bucket or starts an older window over; either way the row is now ours
    // until commit (the write lock here, the row lock on PostgreSQL).
    CS_ASSIGN_OR_RETURN(auto upsert,
                        connection.Prepare("INSERT INTO rate_limits (bucket, window_start, taken) "
                                           "VALUES (?1, ?2, 0) ON CONFLICT (bucket) DO UPDATE "
                                           "SET window_start = excluded.window_start, taken = 0 "
                                           "WHERE rate_limits.window_start < "
                                           "excluded.window_start"));
    upsert.Bind(1, bucket).Bind(2, window_start);
    CS_RETURN_IF_ERROR(upsert.Run());
    CS_ASSIGN_OR_RETURN(auto read,
                        connection.Prepare("SELECT taken FROM rate_limits WHERE bucket = ?1"));
    read.Bind(1, bucket);
    CS_ASSIGN_OR_RETURN(bool found, read.Step());
    if (!found) return Internal("rate_limits row vanished: " + bucket);
    RateTake out;
    out.taken = read.Int(0);
    out.granted = std::max<int64_t>(0, std::min(want, limit - out.taken));
    if (out.granted == 0) return out;
    out.taken += out.granted;
    CS_ASSIGN_OR_RETURN(auto update,
                        connection.Prepare("UPDATE rate_limits SET taken = ?2 WHERE bucket = ?1"));
    update.Bind(1, bucket).Bind(2, out.taken);
    CS_RETURN_IF_ERROR(update.Run());
    return out;
  });
}

StatusOr<int64_t> SqlRateLimitStore::Taken(const std::string& bucket, int64_t window_start) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<int64_t> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("SELECT taken FROM rate_limits WHERE "
                                                      "bucket = ?1 AND window_start >= ?2"));
    stmt.Bind(1, bucket).Bind(2, window_start);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    return found ? stmt.Int(0) : int64_t{0};
  });
}

StatusOr<int> SqlRateLimitStore::DeleteOlderThan(int64_t window_start) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<int> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("DELETE FROM rate_limits WHERE window_start < ?1"));
    stmt.Bind(1, window_start);
    CS_RETURN_IF_ERROR(stmt.Run());
    return static_cast<int>(connection.Changes());
  });
}

}  // namespace countersign
