#include "store/sql/sql_signature_request_store.h"

#include "store/sql/sql_event_writer.h"
#include "store/sql/sql_file_rows.h"
#include "store/sql/sql_json.h"
#include "store/sql/sql_mail_queue_store.h"
#include "store/sql/sql_signature_request_rows.h"

namespace countersign {

namespace {

// Adds `delta` to the listed-request counters of `account_id` (overall, and for the app that
// created the request when there is one).
Status BumpCounts(SqlConnection& connection, const std::string& account_id,
                  const std::string& client_id, int delta) {
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("INSERT INTO request_counts (account_id, client_id, n) "
                                         "VALUES (?1, ?2, ?3) ON CONFLICT (account_id, client_id) "
                                         "DO UPDATE SET n = request_counts.n + ?3"));
  stmt.Bind(1, account_id).Bind(2, "*").Bind(3, delta);
  CS_RETURN_IF_ERROR(stmt.Run());
  if (client_id.empty()) return Status::Ok();
  stmt.Bind(1, account_id).Bind(2, client_id).Bind(3, delta);
  return stmt.Run();
}

// After a signer's email changed from `old_email` to `new_email`: the old signer's account no
// longer lists the request (unless it is the requester or still a signer); the new one does.
Status MoveListing(SqlConnection& connection, const std::string& request_id,
                   const std::string& old_email, const std::string& new_email) {
  {
    CS_ASSIGN_OR_RETURN(auto gone,
                        connection.Prepare("DELETE FROM request_listing WHERE request_id = ?1 AND "
                                           "account_id = (SELECT a.id FROM accounts a WHERE "
                                           "a.email = ?2) AND account_id <> (SELECT r.account_id "
                                           "FROM signature_requests r WHERE r.id = ?1) AND NOT "
                                           "EXISTS (SELECT 1 FROM signatures s WHERE "
                                           "s.request_id = ?1 AND s.email = ?2) RETURNING "
                                           "account_id"));
    gone.Bind(1, request_id).Bind(2, old_email);
    CS_ASSIGN_OR_RETURN(bool removed, gone.Step());
    std::string account = removed ? gone.Text(0) : "";
    if (removed) {
      CS_RETURN_IF_ERROR(gone.Step().status());
      CS_RETURN_IF_ERROR(BumpCounts(connection, account, "", -1));
    }
  }
  CS_ASSIGN_OR_RETURN(auto added,
                      connection.Prepare("INSERT INTO request_listing (account_id, request_id, "
                                         "created_by_client_id, created_at) SELECT a.id, r.id, "
                                         "'', r.created_at FROM accounts a, signature_requests r "
                                         "WHERE a.email = ?2 AND r.id = ?1 AND r.canceled_at = 0 "
                                         "ON CONFLICT DO NOTHING RETURNING account_id"));
  added.Bind(1, request_id).Bind(2, new_email);
  CS_ASSIGN_OR_RETURN(bool inserted, added.Step());
  if (inserted) {
    std::string account = added.Text(0);
    CS_RETURN_IF_ERROR(added.Step().status());
    CS_RETURN_IF_ERROR(BumpCounts(connection, account, "", 1));
  }
  return Status::Ok();
}

Status QueueAll(SqlConnection& connection, const std::vector<QueuedMail>& mails) {
  for (const auto& mail : mails) CS_RETURN_IF_ERROR(InsertQueuedMail(connection, mail));
  return Status::Ok();
}

}  // namespace

Status SqlSignatureRequestStore::Create(const SignatureRequest& r,
                                        const std::vector<QueuedMail>& mails,
                                        const std::vector<EventRecord>& events,
                                        const AuditEntry& sent) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_RETURN_IF_ERROR(InsertRequestRow(connection, r));
    CS_RETURN_IF_ERROR(InsertFileRows(connection, kRequestFiles, r.id, r.files));
    for (const auto& s : r.signatures) CS_RETURN_IF_ERROR(InsertSignatureRow(connection, r.id, s));
    {
      CS_ASSIGN_OR_RETURN(auto listing,
                          connection.Prepare("INSERT INTO request_listing (account_id, request_id, "
                                             "created_by_client_id, created_at) VALUES "
                                             "(?1, ?2, ?3, ?4)"));
      listing.Bind(1, r.account_id)
          .Bind(2, r.id)
          .Bind(3, r.created_by_client_id)
          .Bind(4, r.created_at);
      CS_RETURN_IF_ERROR(listing.Run());
    }
    CS_RETURN_IF_ERROR(BumpCounts(connection, r.account_id, r.created_by_client_id, 1));
    // Signers who have an account see the request in their list too ("received").
    for (const auto& s : r.signatures) {
      CS_ASSIGN_OR_RETURN(auto received,
                          connection.Prepare("INSERT INTO request_listing (account_id, "
                                             "request_id, created_by_client_id, created_at) "
                                             "SELECT a.id, ?1, '', ?2 FROM accounts a WHERE "
                                             "a.email = ?3 ON CONFLICT DO NOTHING"));
      received.Bind(1, r.id).Bind(2, r.created_at).Bind(3, s.email);
      CS_RETURN_IF_ERROR(received.Run());
      if (connection.Changes() == 1) {
        CS_ASSIGN_OR_RETURN(auto who,
                            connection.Prepare("SELECT id FROM accounts WHERE email = ?1"));
        who.Bind(1, s.email);
        CS_ASSIGN_OR_RETURN(bool found, who.Step());
        if (found) CS_RETURN_IF_ERROR(BumpCounts(connection, who.Text(0), "", 1));
      }
    }
    for (const auto& e : events) CS_RETURN_IF_ERROR(InsertEvent(connection, e, r.created_at));
    CS_RETURN_IF_ERROR(AppendAuditRow(connection, r.id, sent));
    return QueueAll(connection, mails);
  });
}

StatusOr<SignatureRequest> SqlSignatureRequestStore::Get(const std::string& id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<SignatureRequest> {
    return LoadRequest(connection, id);
  });
}

StatusOr<bool> SqlSignatureRequestStore::IsListedFor(const std::string& account_id,
                                                     const std::string& request_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("SELECT 1 FROM request_listing WHERE "
                                                      "account_id = ?1 AND request_id = ?2"));
    stmt.Bind(1, account_id).Bind(2, request_id);
    return stmt.Step();
  });
}

StatusOr<RequestPage> SqlSignatureRequestStore::List(const RequestListFilter& filter) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<RequestPage> {
    RequestPage page;
    ListQuery query = BuildListQuery(filter);
    {
      CS_ASSIGN_OR_RETURN(auto ids, connection.Prepare(query.select_sql));
      BindListQuery(ids, query);
      std::vector<std::string> found;
      while (true) {
        CS_ASSIGN_OR_RETURN(bool row, ids.Step());
        if (!row) break;
        found.push_back(ids.Text(0));
      }
      for (const auto& id : found) {
        CS_ASSIGN_OR_RETURN(SignatureRequest r, LoadRequest(connection, id));
        page.requests.push_back(std::move(r));
      }
    }
    if (query.has_search_terms) {
      CS_ASSIGN_OR_RETURN(auto count, connection.Prepare(query.count_sql));
      BindListQuery(count, query);
      CS_ASSIGN_OR_RETURN(bool row, count.Step());
      page.total = row ? count.Int(0) : 0;
    } else {
      CS_ASSIGN_OR_RETURN(auto count, connection.Prepare("SELECT n FROM request_counts WHERE "
                                                         "account_id = ?1 AND client_id = ?2"));
      count.Bind(1, filter.account_id).Bind(2, filter.created_by_client_id.value_or("*"));
      CS_ASSIGN_OR_RETURN(bool row, count.Step());
      page.total = row ? count.Int(0) : 0;
    }
    return page;
  });
}

Status SqlSignatureRequestStore::Cancel(const std::string& id, int64_t now,
                                        const EventRecord& event) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signature_requests SET canceled_at = ?2 "
                                             "WHERE id = ?1 AND canceled_at = 0 AND "
                                             "is_complete = 0"));
      stmt.Bind(1, id).Bind(2, std::max<int64_t>(now, 1));
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return Conflict("The request is canceled or complete.");
    }
    // Canceled requests leave every list: keep the counters in step.
    CS_ASSIGN_OR_RETURN(auto rows,
                        connection.Prepare("SELECT account_id, created_by_client_id FROM "
                                           "request_listing WHERE request_id = ?1"));
    rows.Bind(1, id);
    std::vector<std::pair<std::string, std::string>> listed;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      listed.emplace_back(rows.Text(0), rows.Text(1));
    }
    for (const auto& [account, client] : listed) {
      CS_RETURN_IF_ERROR(BumpCounts(connection, account, client, -1));
    }
    return InsertEvent(connection, event, now);
  });
}

StatusOr<bool> SqlSignatureRequestStore::TryRemind(const std::string& signature_id, int64_t now,
                                                   int64_t min_interval,
                                                   const std::string& access_hash,
                                                   const QueuedMail& mail,
                                                   const EventRecord& event) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signatures SET last_reminded_at = ?2, "
                                             "access_hash = ?4 WHERE signature_id = ?1 AND "
                                             "(last_reminded_at = 0 OR last_reminded_at <= ?3)"));
      stmt.Bind(1, signature_id)
          .Bind(2, std::max<int64_t>(now, 1))
          .Bind(3, now - min_interval)
          .Bind(4, access_hash);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return false;
    }
    CS_RETURN_IF_ERROR(InsertQueuedMail(connection, mail));
    CS_RETURN_IF_ERROR(InsertEvent(connection, event, now));
    return true;
  });
}

Status SqlSignatureRequestStore::UpdateSigner(const std::string& request_id,
                                              const std::string& old_signature_id,
                                              const Signature& s,
                                              const std::vector<QueuedMail>& mails) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    std::string old_email;
    {
      CS_ASSIGN_OR_RETURN(auto old, connection.Prepare("SELECT email FROM signatures WHERE "
                                                       "signature_id = ?1 AND request_id = ?2"));
      old.Bind(1, old_signature_id).Bind(2, request_id);
      CS_ASSIGN_OR_RETURN(bool found, old.Step());
      if (!found) return NotFound("Signature not found.");
      old_email = old.Text(0);
    }
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("UPDATE signatures SET signature_id = ?3, name = ?4, "
                                             "email = ?5, access_hash = ?6, last_reminded_at = "
                                             "?7, last_viewed_at = ?8 WHERE signature_id = ?1 "
                                             "AND request_id = ?2"));
      stmt.Bind(1, old_signature_id)
          .Bind(2, request_id)
          .Bind(3, s.signature_id)
          .Bind(4, s.name)
          .Bind(5, s.email)
          .Bind(6, s.access_hash)
          .Bind(7, s.last_reminded_at)
          .Bind(8, s.last_viewed_at);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return NotFound("Signature not found.");
    }
    if (old_email != s.email)
      CS_RETURN_IF_ERROR(MoveListing(connection, request_id, old_email, s.email));
    return QueueAll(connection, mails);
  });
}

Status SqlSignatureRequestStore::SetExpiry(const std::string& request_id, int64_t expires_at) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE signature_requests SET expires_at = "
                                                      "?2 WHERE id = ?1"));
    stmt.Bind(1, request_id).Bind(2, expires_at);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() != 1) return NotFound("Signature request not found.");
    return Status::Ok();
  });
}

}  // namespace countersign
