#include "store/sql/sql_event_store.h"

#include "store/sql/sql_event_writer.h"

namespace countersign {

namespace {

constexpr char kDeliveryColumns[] =
    "d.id, d.kind, d.target_id, d.url, d.key_account_id, d.status, d.attempts, "
    "d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at, e.id, "
    "e.event_type, e.event_time, e.account_id, e.client_id, e.signature_request_id, "
    "e.related_signature_id, e.event_message, e.template_id";

EventDelivery ReadDelivery(const SqlStatement& row) {
  EventDelivery d;
  d.id = row.Text(0);
  d.kind = static_cast<CallbackKind>(row.Int(1));
  d.target_id = row.Text(2);
  d.url = row.Text(3);
  d.key_account_id = row.Text(4);
  d.status = static_cast<DeliveryStatus>(row.Int(5));
  d.attempts = static_cast<int>(row.Int(6));
  d.next_attempt_at = row.Int(7);
  d.last_status_code = static_cast<int>(row.Int(8));
  d.last_error = row.Text(9);
  d.created_at = row.Int(10);
  d.delivered_at = row.Int(11);
  d.event.id = row.Text(12);
  d.event.event_type = row.Text(13);
  d.event.event_time = row.Int(14);
  d.event.account_id = row.Text(15);
  d.event.client_id = row.Text(16);
  d.event.signature_request_id = row.Text(17);
  d.event.related_signature_id = row.Text(18);
  d.event.event_message = row.Text(19);
  d.event.template_id = row.Text(20);
  return d;
}

std::string CallbackKey(CallbackKind kind, const std::string& target_id) {
  return std::to_string(static_cast<int>(kind)) + ":" + target_id;
}

// Ends a pending delivery's try: its new status, next time and outcome (attempts + 1).
// kConflict when it is no longer pending.
Status FinishRow(SqlConnection& connection, const std::string& delivery_id, int status,
                 int64_t next_attempt_at, int64_t delivered_at, int status_code,
                 const std::string& error) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("UPDATE event_deliveries SET status = ?2, attempts = "
                                         "attempts + 1, next_attempt_at = ?3, delivered_at = "
                                         "?4, last_status_code = ?5, last_error = ?6, "
                                         "leased_until = 0 WHERE id = ?1 AND status = 0"));
  stmt.Bind(1, delivery_id)
      .Bind(2, status)
      .Bind(3, next_attempt_at)
      .Bind(4, delivered_at)
      .Bind(5, status_code)
      .Bind(6, error.substr(0, 500));
  CS_RETURN_IF_ERROR(stmt.Run());
  if (connection.Changes() != 1) return Conflict("The delivery is no longer pending.");
  return Status::Ok();
}

StatusOr<int> CountFailuresSinceLastSuccess(SqlConnection& connection, int kind,
                                            const std::string& target_id) {
  // Creation time orders the deliveries of a callback across URL changes (`seq` counts per
  // URL); a URL change is a save, whose callback_test starts the run afresh.
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("SELECT COUNT(*) FROM event_deliveries WHERE kind = "
                                         "?1 AND target_id = ?2 AND status = 2 AND created_at "
                                         "> COALESCE((SELECT MAX(created_at) FROM "
                                         "event_deliveries WHERE kind = ?1 AND target_id = ?2 "
                                         "AND status = 1), 0) AND created_at >= "
                                         "COALESCE((SELECT MAX(d.created_at) FROM "
                                         "event_deliveries d JOIN events e ON e.id = "
                                         "d.event_id WHERE d.kind = ?1 AND d.target_id = ?2 "
                                         "AND e.event_type = 'callback_test'), 0)"));
  stmt.Bind(1, kind).Bind(2, target_id);
  CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

Status SetDisabledRow(SqlConnection& connection, const std::string& url_key, bool disabled,
                      int64_t now) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare(disabled ? "INSERT INTO disabled_callbacks (url_key, "
                                                    "disabled_at) VALUES (?1, ?2) ON CONFLICT "
                                                    "(url_key) DO NOTHING"
                                                  : "DELETE FROM disabled_callbacks WHERE "
                                                    "url_key = ?1 AND ?2 = ?2"));
  stmt.Bind(1, url_key).Bind(2, now);
  return stmt.Run();
}

}  // namespace

Status SqlEventStore::Record(const EventRecord& event, int64_t now) {
  return db_->Write(
      [&](SqlConnection& connection) -> Status { return InsertEvent(connection, event, now); });
}

StatusOr<std::vector<EventDelivery>> SqlEventStore::ClaimDue(int64_t now, int limit,
                                                             int64_t lease_seconds) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<std::vector<EventDelivery>> {
    std::vector<std::string> ids;
    {
      CS_ASSIGN_OR_RETURN(
          auto stmt,
          // Due rows stream in next_attempt_at order (no sort) and each is checked to be the
          // head of its URL with one index probe, so a claim stops after `limit` heads instead
          // of visiting every pending row: draining a backlog is no longer quadratic. Rows another
          // instance is claiming are skipped.
          connection.Prepare("SELECT d.id FROM event_deliveries d WHERE d.status = 0 AND "
                             "d.next_attempt_at <= ?1 AND d.leased_until <= ?1 AND NOT EXISTS "
                             "(SELECT 1 FROM disabled_callbacks x WHERE x.url_key = d.kind || "
                             "':' || d.target_id) AND NOT EXISTS (SELECT 1 FROM "
                             "event_deliveries d2 WHERE d2.url = d.url AND d2.status = 0 AND "
                             "d2.seq < d.seq AND NOT EXISTS (SELECT 1 FROM disabled_callbacks y "
                             "WHERE y.url_key = d2.kind || ':' || d2.target_id)) ORDER BY "
                             "d.next_attempt_at LIMIT ?2" +
                             connection.dialect().ClaimRows("d")));
      stmt.Bind(1, now).Bind(2, limit);
      while (true) {
        CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        ids.push_back(stmt.Text(0));
      }
    }
    std::vector<EventDelivery> out;
    for (const auto& id : ids) {
      {
        CS_ASSIGN_OR_RETURN(auto lease, connection.Prepare("UPDATE event_deliveries SET "
                                                           "leased_until = ?2 WHERE id = ?1"));
        lease.Bind(1, id).Bind(2, now + lease_seconds);
        CS_RETURN_IF_ERROR(lease.Run());
      }
      CS_ASSIGN_OR_RETURN(auto load,
                          connection.Prepare(std::string("SELECT ") + kDeliveryColumns +
                                             " FROM event_deliveries d JOIN events e ON e.id = "
                                             "d.event_id WHERE d.id = ?1"));
      load.Bind(1, id);
      CS_ASSIGN_OR_RETURN(bool found, load.Step());
      if (found) out.push_back(ReadDelivery(load));
    }
    return out;
  });
}

Status SqlEventStore::Finish(const std::string& delivery_id, int status, int64_t next_attempt_at,
                             int64_t delivered_at, int status_code, const std::string& error) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    return FinishRow(connection, delivery_id, status, next_attempt_at, delivered_at, status_code,
                     error);
  });
}

Status SqlEventStore::MarkDelivered(const std::string& id, int64_t now, int status_code) {
  return Finish(id, static_cast<int>(DeliveryStatus::kDelivered), now, now, status_code, "");
}

Status SqlEventStore::MarkRetry(const std::string& id, int64_t retry_at, int status_code,
                                const std::string& error) {
  return Finish(id, static_cast<int>(DeliveryStatus::kPending), retry_at, 0, status_code, error);
}

StatusOr<bool> SqlEventStore::MarkFailed(const std::string& id, int64_t now, int status_code,
                                         const std::string& error, int disable_after_failures) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_RETURN_IF_ERROR(FinishRow(connection, id, static_cast<int>(DeliveryStatus::kFailed), now, 0,
                                 status_code, error));
    if (disable_after_failures <= 0) return false;
    CS_ASSIGN_OR_RETURN(auto target, connection.Prepare("SELECT kind, target_id FROM "
                                                        "event_deliveries WHERE id = ?1"));
    target.Bind(1, id);
    CS_ASSIGN_OR_RETURN(bool found, target.Step());
    if (!found) return false;
    const int kind = static_cast<int>(target.Int(0));
    const std::string target_id = target.Text(1);
    CS_ASSIGN_OR_RETURN(int failures, CountFailuresSinceLastSuccess(connection, kind, target_id));
    if (failures < disable_after_failures) return false;
    CS_RETURN_IF_ERROR(SetDisabledRow(
        connection, CallbackKey(static_cast<CallbackKind>(kind), target_id), true, now));
    return true;
  });
}

StatusOr<std::vector<EventDelivery>> SqlEventStore::Recent(CallbackKind kind,
                                                           const std::string& target_id,
                                                           int limit) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<EventDelivery>> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(std::string("SELECT ") + kDeliveryColumns +
                                                      " FROM event_deliveries d JOIN events e ON "
                                                      "e.id = d.event_id WHERE d.kind = ?1 AND "
                                                      "d.target_id = ?2 ORDER BY d.created_at "
                                                      "DESC, d.seq DESC LIMIT ?3"));
    stmt.Bind(1, static_cast<int>(kind)).Bind(2, target_id).Bind(3, limit);
    std::vector<EventDelivery> out;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(ReadDelivery(stmt));
    }
    return out;
  });
}

Status SqlEventStore::Resend(CallbackKind kind, const std::string& target_id,
                             const std::string& delivery_id, int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto url,
                          connection.Prepare("SELECT url FROM event_deliveries WHERE id = ?1"));
      url.Bind(1, delivery_id);
      CS_ASSIGN_OR_RETURN(bool found, url.Step());
      if (!found) return NotFound("No failed delivery with this id.");
      CS_RETURN_IF_ERROR(LockCallbackUrl(connection, url.Text(0)));
    }
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("UPDATE event_deliveries SET status = 0, "
                                           "next_attempt_at = ?4, leased_until = 0, seq = "
                                           "(SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                                           "event_deliveries d2 WHERE d2.url = "
                                           "event_deliveries.url) WHERE id = ?1 AND kind = ?2 "
                                           "AND target_id = ?3 AND status = 2"));
    stmt.Bind(1, delivery_id).Bind(2, static_cast<int>(kind)).Bind(3, target_id).Bind(4, now);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() != 1) return NotFound("No failed delivery with this id.");
    return Status::Ok();
  });
}

StatusOr<int> SqlEventStore::FailuresSinceLastSuccess(CallbackKind kind,
                                                      const std::string& target_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<int> {
    return CountFailuresSinceLastSuccess(connection, static_cast<int>(kind), target_id);
  });
}

Status SqlEventStore::SetCallbackDisabled(CallbackKind kind, const std::string& target_id,
                                          bool disabled, int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    return SetDisabledRow(connection, CallbackKey(kind, target_id), disabled, now);
  });
}

StatusOr<bool> SqlEventStore::IsCallbackDisabled(CallbackKind kind, const std::string& target_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("SELECT 1 FROM disabled_callbacks WHERE "
                                                      "url_key = ?1"));
    stmt.Bind(1, CallbackKey(kind, target_id));
    return stmt.Step();
  });
}

}  // namespace countersign
