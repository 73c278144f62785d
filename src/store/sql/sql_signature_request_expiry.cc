// SqlSignatureRequestStore: expiry. One condition decides what may expire; the conditional
// UPDATE in Expire is what makes it happen once across threads and instances (its row count
// picks the single winner, whose events and mails are written in the same transaction).
#include <string>

#include "store/sql/sql_event_writer.h"
#include "store/sql/sql_mail_queue_store.h"
#include "store/sql/sql_mark_time.h"
#include "store/sql/sql_signature_request_rows.h"
#include "store/sql/sql_signature_request_store.h"

namespace countersign {

namespace {

// Rows of signature_requests that may expire at the time in parameter `now`. Its first terms
// repeat the partial index's condition (migration 0012) so that both databases use it.
std::string Expirable(const std::string& now) {
  return "expired_at = 0 AND expires_at > 0 AND is_complete = 0 AND is_declined = 0 AND "
         "canceled_at = 0 AND expires_at <= " +
         now +
         " AND EXISTS (SELECT 1 FROM signatures s WHERE s.request_id = signature_requests.id "
         "AND s.status_code = 'awaiting_signature')";
}

}  // namespace

StatusOr<std::vector<std::string>> SqlSignatureRequestStore::FindExpired(int64_t now, int limit) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<std::string>> {
    CS_ASSIGN_OR_RETURN(
        auto stmt, connection.Prepare("SELECT id FROM signature_requests WHERE " + Expirable("?1") +
                                      " ORDER BY expires_at, id LIMIT ?2"));
    stmt.Bind(1, now).Bind(2, limit);
    std::vector<std::string> ids;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ids.push_back(stmt.Text(0));
    }
    return ids;
  });
}

StatusOr<bool> SqlSignatureRequestStore::Expire(const std::string& request_id, int64_t now,
                                                const AuditEntry& audit,
                                                const std::vector<EventRecord>& events,
                                                const std::vector<QueuedMail>& mails) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signature_requests SET expired_at = ?3 "
                                             "WHERE id = ?1 AND " +
                                             Expirable("?2")));
      stmt.Bind(1, request_id).Bind(2, now).Bind(3, MarkTime(now));
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return false;
    }
    {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE signatures SET status_code = "
                                                        "'expired' WHERE request_id = ?1 AND "
                                                        "status_code = 'awaiting_signature'"));
      stmt.Bind(1, request_id);
      CS_RETURN_IF_ERROR(stmt.Run());
    }
    CS_RETURN_IF_ERROR(AppendAuditRow(connection, request_id, audit));
    for (const auto& e : events) CS_RETURN_IF_ERROR(InsertEvent(connection, e, now));
    for (const auto& m : mails) CS_RETURN_IF_ERROR(InsertQueuedMail(connection, m));
    return true;
  });
}

}  // namespace countersign
