// SqlSignatureRequestStore: signing (view, sign, decline, audit) and the advance job.
#include "store/sql/sql_event_writer.h"
#include "store/sql/sql_mail_queue_store.h"
#include "store/sql/sql_signature_request_rows.h"
#include "store/sql/sql_signature_request_store.h"

namespace countersign {

namespace {

Status ScheduleJob(SqlConnection& connection, const std::string& request_id, int64_t now) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("INSERT INTO request_jobs (request_id, due_at) VALUES "
                                         "(?1, ?2) ON CONFLICT (request_id) DO UPDATE SET "
                                         "due_at = ?2"));
  stmt.Bind(1, request_id).Bind(2, now);
  return stmt.Run();
}

}  // namespace

StatusOr<std::string> SqlSignatureRequestStore::FindRequestIdBySignature(
    const std::string& signature_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::string> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("SELECT request_id FROM signatures WHERE "
                                                      "signature_id = ?1"));
    stmt.Bind(1, signature_id);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Signature not found.");
    return stmt.Text(0);
  });
}

Status SqlSignatureRequestStore::RecordView(const std::string& request_id,
                                            const std::string& signature_id, int64_t now,
                                            const AuditEntry& audit,
                                            const EventRecord& first_view_event) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    bool first = false;
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("SELECT last_viewed_at FROM signatures "
                                             "WHERE signature_id = ?1 AND "
                                             "request_id = ?2" +
                                             std::string(connection.dialect().LockRows())));
      stmt.Bind(1, signature_id).Bind(2, request_id);
      CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
      if (!found) return NotFound("Signature not found.");
      first = stmt.Int(0) == 0;
    }
    {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE signatures SET last_viewed_at = "
                                                        "?2 WHERE signature_id = ?1"));
      stmt.Bind(1, signature_id).Bind(2, std::max<int64_t>(now, 1));
      CS_RETURN_IF_ERROR(stmt.Run());
    }
    CS_RETURN_IF_ERROR(AppendAuditRow(connection, request_id, audit));
    if (first) CS_RETURN_IF_ERROR(InsertEvent(connection, first_view_event, now));
    return Status::Ok();
  });
}

Status SqlSignatureRequestStore::Sign(const std::string& request_id, const Signature& s,
                                      const std::vector<AuditEntry>& audit,
                                      const EventRecord& event) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signatures SET status_code = 'signed', "
                                             "signed_at = ?3, signature_kind = ?4, "
                                             "signature_data = ?5, signer_ip = ?6, "
                                             "signer_user_agent = ?7, field_values = ?9 WHERE "
                                             "signature_id = ?1 AND "
                                             "request_id = ?2 AND status_code = "
                                             "'awaiting_signature' AND access_hash = ?8 AND "
                                             "access_hash <> '' AND EXISTS (SELECT 1 FROM "
                                             "signature_requests r WHERE r.id = ?2 AND "
                                             "r.canceled_at = 0 AND r.is_declined = 0 AND "
                                             "r.expired_at = 0 AND (r.expires_at = 0 OR "
                                             "r.expires_at > ?3))"));
      stmt.Bind(1, s.signature_id)
          .Bind(2, request_id)
          .Bind(3, s.signed_at)
          .Bind(4, s.signature_kind)
          .Bind(5, s.signature_data)
          .Bind(6, s.signer_ip)
          .Bind(7, s.signer_user_agent.substr(0, 512))
          .Bind(8, s.access_hash)
          .Bind(9, s.field_values_json);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return Conflict("This signer can no longer sign.");
    }
    for (const AuditEntry& entry : audit) {
      CS_RETURN_IF_ERROR(AppendAuditRow(connection, request_id, entry));
    }
    CS_RETURN_IF_ERROR(InsertEvent(connection, event, s.signed_at));
    return ScheduleJob(connection, request_id, s.signed_at);
  });
}

Status SqlSignatureRequestStore::Decline(const std::string& request_id, const Signature& s,
                                         const std::string& reason, const AuditEntry& audit,
                                         const EventRecord& event) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signatures SET status_code = 'declined', "
                                             "decline_reason = ?3, signer_ip = ?4, "
                                             "signer_user_agent = ?5 WHERE signature_id = ?1 AND "
                                             "request_id = ?2 AND status_code = "
                                             "'awaiting_signature' AND access_hash = ?6 AND "
                                             "access_hash <> '' AND EXISTS (SELECT 1 FROM "
                                             "signature_requests r WHERE r.id = ?2 AND "
                                             "r.canceled_at = 0 AND r.is_declined = 0 AND "
                                             "r.expired_at = 0 AND (r.expires_at = 0 OR "
                                             "r.expires_at > ?7))"));
      stmt.Bind(1, s.signature_id)
          .Bind(2, request_id)
          .Bind(3, reason)
          .Bind(4, s.signer_ip)
          .Bind(5, s.signer_user_agent.substr(0, 512))
          .Bind(6, s.access_hash)
          .Bind(7, audit.at);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return Conflict("This signer can no longer decline.");
    }
    {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE signature_requests SET "
                                                        "is_declined = 1 WHERE id = ?1"));
      stmt.Bind(1, request_id);
      CS_RETURN_IF_ERROR(stmt.Run());
    }
    CS_RETURN_IF_ERROR(AppendAuditRow(connection, request_id, audit));
    return InsertEvent(connection, event, audit.at);
  });
}

StatusOr<std::vector<AuditEntry>> SqlSignatureRequestStore::Audit(const std::string& request_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<AuditEntry>> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("SELECT at, action, actor_email, ip, user_agent FROM "
                                           "request_audit WHERE request_id = ?1 ORDER BY seq"));
    stmt.Bind(1, request_id);
    std::vector<AuditEntry> out;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back({stmt.Int(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Text(4)});
    }
    return out;
  });
}

StatusOr<std::vector<std::string>> SqlSignatureRequestStore::ClaimJobs(int64_t now, int limit,
                                                                       int64_t lease) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<std::vector<std::string>> {
    std::vector<std::string> ids;
    {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("SELECT request_id FROM request_jobs "
                                                        "WHERE due_at <= ?1 AND leased_until <= "
                                                        "?1 ORDER BY due_at LIMIT ?2" +
                                                        connection.dialect().ClaimRows("")));
      stmt.Bind(1, now).Bind(2, limit);
      while (true) {
        CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        ids.push_back(stmt.Text(0));
      }
    }
    for (const auto& id : ids) {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE request_jobs SET leased_until = "
                                                        "?2, attempts = attempts + 1 WHERE "
                                                        "request_id = ?1"));
      stmt.Bind(1, id).Bind(2, now + lease);
      CS_RETURN_IF_ERROR(stmt.Run());
    }
    return ids;
  });
}

Status SqlSignatureRequestStore::FinishJob(const std::string& request_id) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("DELETE FROM request_jobs WHERE request_id = ?1"));
    stmt.Bind(1, request_id);
    return stmt.Run();
  });
}

Status SqlSignatureRequestStore::RetryJob(const std::string& request_id, int64_t due_at) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE request_jobs SET due_at = ?2, "
                                                      "leased_until = 0 WHERE request_id = ?1"));
    stmt.Bind(1, request_id).Bind(2, due_at);
    return stmt.Run();
  });
}

StatusOr<bool> SqlSignatureRequestStore::NotifySigner(const std::string& request_id,
                                                      const std::string& signature_id,
                                                      const std::string& access_hash,
                                                      const QueuedMail& mail) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE signatures SET access_hash = ?3 "
                                                        "WHERE signature_id = ?1 AND "
                                                        "request_id = ?2 AND access_hash = ''"));
      stmt.Bind(1, signature_id).Bind(2, request_id).Bind(3, access_hash);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return false;
    }
    CS_RETURN_IF_ERROR(InsertQueuedMail(connection, mail));
    return true;
  });
}

StatusOr<bool> SqlSignatureRequestStore::Complete(const std::string& request_id, int64_t now,
                                                  const AuditEntry& audit,
                                                  const std::vector<EventRecord>& events) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signature_requests SET is_complete = 1, "
                                             "final_state = 1 WHERE id = ?1 AND is_complete = 0 "
                                             "AND canceled_at = 0 AND is_declined = 0 AND "
                                             "expired_at = 0 AND NOT "
                                             "EXISTS (SELECT 1 FROM signatures s WHERE "
                                             "s.request_id = ?1 AND s.status_code <> 'signed')"));
      stmt.Bind(1, request_id);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return false;
    }
    CS_RETURN_IF_ERROR(AppendAuditRow(connection, request_id, audit));
    for (const auto& e : events) CS_RETURN_IF_ERROR(InsertEvent(connection, e, now));
    return true;
  });
}

Status SqlSignatureRequestStore::SetFinal(const std::string& request_id, FinalState state,
                                          const std::string& final_sha256,
                                          const std::vector<EventRecord>& events,
                                          const std::vector<QueuedMail>& mails) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signature_requests SET final_state = ?2, "
                                             "final_sha256 = ?3, has_error = ?4 WHERE id = ?1 "
                                             "AND final_state = 1"));
      stmt.Bind(1, request_id)
          .Bind(2, static_cast<int>(state))
          .Bind(3, final_sha256)
          .Bind(4, state == FinalState::kFailed);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return Conflict("The final PDF was already recorded.");
    }
    for (const auto& e : events) {
      CS_RETURN_IF_ERROR(InsertEvent(connection, e, e.event_time));
    }
    for (const auto& m : mails) CS_RETURN_IF_ERROR(InsertQueuedMail(connection, m));
    return Status::Ok();
  });
}

}  // namespace countersign
