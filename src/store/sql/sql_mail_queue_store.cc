#include "store/sql/sql_mail_queue_store.h"

#include <utility>

namespace countersign {
namespace {

constexpr int kPending = 0;
constexpr int kSent = 1;
constexpr int kFailed = 2;

// After an UPDATE ... WHERE id = ?1 AND status = 0 changed nothing: tells an unknown id
// (kNotFound) from a mail that is no longer pending (kConflict).
Status ExplainNoChange(SqlConnection& connection, const std::string& id) {
  CS_ASSIGN_OR_RETURN(auto exists, connection.Prepare("SELECT 1 FROM mail_queue WHERE id = ?1"));
  exists.Bind(1, id);
  CS_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return NotFound("Mail not found.");
  return Conflict("The mail is no longer pending.");
}

// Runs `sql` (an UPDATE whose ?1 is the id and that binds further values through `bind`)
// restricted to the pending mail `id`.
template <typename BindFn>
Status UpdatePending(SqlDatabase& db, const std::string& sql, const std::string& id, BindFn bind) {
  return db.Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql));
      stmt.Bind(1, id);
      bind(stmt);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() == 1) return Status::Ok();
    }
    return ExplainNoChange(connection, id);
  });
}

// MarkSent's UPDATE: ?1 the id, ?2 the time, ?3 kSent.
constexpr char kMarkSent[] =
    "UPDATE mail_queue SET status = ?3, attempts = attempts + 1, leased_until = 0, "
    "sent_at = ?2, last_error = '' WHERE id = ?1 AND status = 0";

}  // namespace

Status InsertQueuedMail(SqlConnection& connection, const QueuedMail& mail) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("INSERT INTO mail_queue (id, to_email, to_name, subject, "
                                         "text_body, html_body, status, attempts, "
                                         "next_attempt_at, leased_until, last_error, created_at, "
                                         "sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, "
                                         "'', ?10, 0)"));
  stmt.Bind(1, mail.id)
      .Bind(2, mail.message.to_email)
      .Bind(3, mail.message.to_name)
      .Bind(4, mail.message.subject)
      .Bind(5, mail.message.text_body)
      .Bind(6, mail.message.html_body)
      .Bind(7, kPending)
      .Bind(8, mail.attempts)
      .Bind(9, mail.next_attempt_at)
      .Bind(10, mail.created_at);
  return stmt.Run();
}

Status SqlMailQueueStore::Enqueue(const QueuedMail& mail) {
  return db_->Write([&](SqlConnection& connection) { return InsertQueuedMail(connection, mail); });
}

StatusOr<std::vector<QueuedMail>> SqlMailQueueStore::ClaimDue(int64_t now, int limit,
                                                              int64_t lease_seconds) {
  if (limit <= 0) return std::vector<QueuedMail>();
  return db_->Write([&](SqlConnection& connection) -> StatusOr<std::vector<QueuedMail>> {
    std::vector<QueuedMail> claimed;
    {
      CS_ASSIGN_OR_RETURN(auto select,
                          connection.Prepare("SELECT id, to_email, to_name, subject, text_body, "
                                             "html_body, attempts, next_attempt_at, created_at "
                                             "FROM mail_queue WHERE status = ?1 AND "
                                             "next_attempt_at <= ?2 AND leased_until <= ?2 "
                                             "ORDER BY next_attempt_at, id LIMIT ?3" +
                                             connection.dialect().ClaimRows("")));
      select.Bind(1, kPending).Bind(2, now).Bind(3, limit);
      while (true) {
        CS_ASSIGN_OR_RETURN(bool row, select.Step());
        if (!row) break;
        QueuedMail mail;
        mail.id = select.Text(0);
        mail.message.to_email = select.Text(1);
        mail.message.to_name = select.Text(2);
        mail.message.subject = select.Text(3);
        mail.message.text_body = select.Text(4);
        mail.message.html_body = select.Text(5);
        mail.attempts = static_cast<int>(select.Int(6));
        mail.next_attempt_at = select.Int(7);
        mail.created_at = select.Int(8);
        claimed.push_back(std::move(mail));
      }
    }
    CS_ASSIGN_OR_RETURN(
        auto lease, connection.Prepare("UPDATE mail_queue SET leased_until = ?2 WHERE id = ?1"));
    for (const QueuedMail& mail : claimed) {
      lease.Bind(1, mail.id).Bind(2, now + lease_seconds);
      CS_RETURN_IF_ERROR(lease.Run());
    }
    return claimed;
  });
}

Status SqlMailQueueStore::MarkSent(const std::string& id, int64_t now) {
  return UpdatePending(*db_, kMarkSent, id,
                       [&](SqlStatement& stmt) { stmt.Bind(2, now).Bind(3, kSent); });
}

StatusOr<int> SqlMailQueueStore::MarkAllSent(const std::vector<std::string>& ids, int64_t now) {
  int marked = 0;
  if (ids.empty()) return marked;
  CS_RETURN_IF_ERROR(db_->Write([&](SqlConnection& connection) -> Status {
    marked = 0;  // a retried transaction counts again
    CS_ASSIGN_OR_RETURN(auto mark, connection.Prepare(kMarkSent));
    for (const std::string& id : ids) {
      mark.Bind(1, id).Bind(2, now).Bind(3, kSent);
      CS_RETURN_IF_ERROR(mark.Run());
      marked += static_cast<int>(connection.Changes());
    }
    return Status::Ok();
  }));
  return marked;
}

Status SqlMailQueueStore::MarkRetry(const std::string& id, int64_t retry_at,
                                    const std::string& error) {
  return UpdatePending(*db_,
                       "UPDATE mail_queue SET attempts = attempts + 1, leased_until = 0, "
                       "next_attempt_at = ?2, last_error = ?3 WHERE id = ?1 AND status = 0",
                       id, [&](SqlStatement& stmt) { stmt.Bind(2, retry_at).Bind(3, error); });
}

Status SqlMailQueueStore::MarkFailed(const std::string& id, int64_t now, const std::string& error) {
  return UpdatePending(
      *db_,
      "UPDATE mail_queue SET status = ?4, attempts = attempts + 1, "
      "leased_until = 0, next_attempt_at = ?2, last_error = ?3 "
      "WHERE id = ?1 AND status = 0",
      id, [&](SqlStatement& stmt) { stmt.Bind(2, now).Bind(3, error).Bind(4, kFailed); });
}

Status SqlMailQueueStore::Release(const std::vector<std::string>& ids) {
  if (ids.empty()) return Status::Ok();
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto release, connection.Prepare("UPDATE mail_queue SET leased_until = 0 "
                                                         "WHERE id = ?1 AND status = 0"));
    for (const std::string& id : ids) {
      release.Bind(1, id);
      CS_RETURN_IF_ERROR(release.Run());
    }
    return Status::Ok();
  });
}

}  // namespace countersign
