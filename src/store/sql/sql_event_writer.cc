#include "store/sql/sql_event_writer.h"

#include "core/ids.h"
#include "store/sql/sql_lock_spaces.h"

namespace countersign {

namespace {

Status InsertDelivery(SqlConnection& connection, const EventRecord& event, CallbackKind kind,
                      const std::string& target_id, const std::string& url,
                      const std::string& key_account_id, int64_t now) {
  CS_RETURN_IF_ERROR(LockCallbackUrl(connection, url));
  // The aggregate yields one row even when nothing matches, so the disabled check must filter
  // outside it. (PostgreSQL wants an alias for the subquery.)
  CS_ASSIGN_OR_RETURN(
      auto stmt, connection.Prepare("INSERT INTO event_deliveries (id, event_id, kind, "
                                    "target_id, url, key_account_id, next_attempt_at, "
                                    "created_at, seq) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, "
                                    "next_seq FROM (SELECT COALESCE(MAX(seq), 0) + 1 AS "
                                    "next_seq FROM event_deliveries WHERE url = ?5) AS n WHERE "
                                    "NOT EXISTS (SELECT 1 FROM disabled_callbacks WHERE "
                                    "url_key = ?8)"));
  stmt.Bind(1, NewInternalId())
      .Bind(2, event.id)
      .Bind(3, static_cast<int>(kind))
      .Bind(4, target_id)
      .Bind(5, url)
      .Bind(6, key_account_id)
      .Bind(7, now)
      .Bind(8, std::to_string(static_cast<int>(kind)) + ":" + target_id);
  return stmt.Run();
}

}  // namespace

Status LockCallbackUrl(SqlConnection& connection, const std::string& url) {
  return connection.LockKey(kCallbackUrlLockSpace, url);
}

Status InsertEvent(SqlConnection& connection, const EventRecord& e, int64_t now) {
  {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("INSERT INTO events (id, event_type, event_time, "
                                           "account_id, client_id, signature_request_id, "
                                           "related_signature_id, event_message, template_id) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    stmt.Bind(1, e.id)
        .Bind(2, e.event_type)
        .Bind(3, e.event_time)
        .Bind(4, e.account_id)
        .Bind(5, e.client_id)
        .Bind(6, e.signature_request_id)
        .Bind(7, e.related_signature_id)
        .Bind(8, e.event_message)
        .Bind(9, e.template_id);
    CS_RETURN_IF_ERROR(stmt.Run());
  }
  // A callback test is for the one callback that was saved: the app's when it names an app.
  const bool app_test = e.event_type == "callback_test" && !e.client_id.empty();
  // The account's own callback hears about every request of the account, made through an app
  // or not (CONTRACT.md §7.4: "all events involving the account"), and about account events.
  if (!app_test) {
    CS_ASSIGN_OR_RETURN(auto acct, connection.Prepare("SELECT callback_url FROM accounts WHERE "
                                                      "id = ?1 AND callback_url IS NOT NULL AND "
                                                      "callback_url <> ''"));
    acct.Bind(1, e.account_id);
    CS_ASSIGN_OR_RETURN(bool found, acct.Step());
    std::string url = found ? acct.Text(0) : "";
    if (!url.empty()) {
      CS_RETURN_IF_ERROR(InsertDelivery(connection, e, CallbackKind::kAccount, e.account_id, url,
                                        e.account_id, now));
    }
  }
  // The app's callback hears about requests and templates made through it (and
  // account_confirmed).
  if (!e.client_id.empty()) {
    CS_ASSIGN_OR_RETURN(auto app, connection.Prepare("SELECT callback_url, owner_account_id FROM "
                                                     "api_apps WHERE client_id = ?1 AND "
                                                     "callback_url IS NOT NULL AND "
                                                     "callback_url <> ''"));
    app.Bind(1, e.client_id);
    CS_ASSIGN_OR_RETURN(bool found, app.Step());
    std::string url = found ? app.Text(0) : "";
    std::string owner = found ? app.Text(1) : "";
    if (!url.empty()) {
      CS_RETURN_IF_ERROR(
          InsertDelivery(connection, e, CallbackKind::kApp, e.client_id, url, owner, now));
    }
  }
  return Status::Ok();
}

}  // namespace countersign
