#include "store/sql/sql_database_probe.h"

#include <string>

#include "store/sql/sql_migration_runner.h"

namespace countersign {
namespace {

// One queue's depth and oldest time from `sql`, which selects COUNT(*) and MIN(<time>) of its
// pending rows (?1 binds `now` when the query uses it).
StatusOr<DurableQueueStats> QueueFrom(SqlConnection& connection, const char* name,
                                      const std::string& sql, int64_t now) {
  CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql));
  if (sql.find("?1") != std::string::npos) stmt.Bind(1, now);
  CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
  DurableQueueStats stats;
  stats.name = name;
  if (!row) return stats;
  stats.depth = stmt.Int(0);
  if (stats.depth > 0) {
    const int64_t oldest = stmt.Int(1);
    stats.oldest_age = now > oldest ? now - oldest : 0;
  }
  return stats;
}

}  // namespace

Status SqlDatabaseProbe::Ping() {
  return db_->Read([](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("SELECT 1"));
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row || stmt.Int(0) != 1) return Internal("SELECT 1 returned no row");
    return Status::Ok();
  });
}

Status SqlDatabaseProbe::CheckMigrations() {
  return db_->Read([this](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(std::vector<int64_t> pending, PendingMigrations(connection, migrations_));
    if (pending.empty()) return Status::Ok();
    return Status(Code::kUnavailable,
                  "migration " + std::to_string(pending.front()) + " is not applied");
  });
}

StatusOr<std::vector<DurableQueueStats>> SqlDatabaseProbe::Queues(int64_t now) {
  return db_->Read([now](SqlConnection& connection) -> StatusOr<std::vector<DurableQueueStats>> {
    std::vector<DurableQueueStats> queues;
    // status 0: pending (sql_mail_queue_store.cc, sql_event_store.cc); a request job is due
    // from due_at on.
    CS_ASSIGN_OR_RETURN(
        DurableQueueStats mail,
        QueueFrom(connection, "mail",
                  "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM mail_queue WHERE status = 0",
                  now));
    queues.push_back(std::move(mail));
    CS_ASSIGN_OR_RETURN(DurableQueueStats events,
                        QueueFrom(connection, "events",
                                  "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM "
                                  "event_deliveries WHERE status = 0",
                                  now));
    queues.push_back(std::move(events));
    CS_ASSIGN_OR_RETURN(
        DurableQueueStats jobs,
        QueueFrom(connection, "advance",
                  "SELECT COUNT(*), COALESCE(MIN(due_at), 0) FROM request_jobs WHERE due_at <= ?1",
                  now));
    queues.push_back(std::move(jobs));
    return queues;
  });
}

}  // namespace countersign
