#include "store/sql/sql_app_store.h"

#include "store/sql/sql_json.h"
#include "store/sql/sql_mark_time.h"

namespace countersign {

const char kAppColumns[] =
    "p.client_id, p.owner_account_id, p.name, p.domains, p.callback_url, p.has_oauth, "
    "p.oauth_callback_url, p.scopes, p.secret_hash, p.is_approved, p.can_insert_everywhere, "
    "p.white_labeling_json, p.created_at, p.refresh_requires_client_credentials, p.require_pkce";

StatusOr<ApiApp> ReadApp(const SqlStatement& row, int first) {
  ApiApp app;
  app.client_id = row.Text(first);
  app.owner_account_id = row.Text(first + 1);
  app.name = row.Text(first + 2);
  CS_ASSIGN_OR_RETURN(app.domains, FromJsonList(row.Text(first + 3)));
  if (!row.IsNull(first + 4)) app.callback_url = row.Text(first + 4);
  app.has_oauth = row.Bool(first + 5);
  app.oauth_callback_url = row.Text(first + 6);
  CS_ASSIGN_OR_RETURN(app.scopes, FromJsonList(row.Text(first + 7)));
  app.secret_hash = row.Text(first + 8);
  app.is_approved = row.Bool(first + 9);
  app.can_insert_everywhere = row.Bool(first + 10);
  app.white_labeling_json = row.Text(first + 11);  // NULL reads as ""
  app.created_at = row.Int(first + 12);
  app.refresh_requires_client_credentials = row.Bool(first + 13);
  app.require_pkce = row.Bool(first + 14);
  return app;
}

namespace {

// Every app column, then the table: SelectApps() + "WHERE ...".
std::string SelectApps() { return std::string("SELECT ") + kAppColumns + " FROM api_apps p "; }

// Every row `stmt` yields, as apps.
StatusOr<std::vector<ApiApp>> ReadApps(SqlStatement& stmt) {
  std::vector<ApiApp> apps;
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    CS_ASSIGN_OR_RETURN(ApiApp app, ReadApp(stmt, 0));
    apps.push_back(std::move(app));
  }
  return apps;
}

// Binds the mutable columns as ?2..?14 (client_id is ?1, created_at ?15 on insert).
void BindMutable(SqlStatement& stmt, const ApiApp& app) {
  stmt.Bind(2, app.owner_account_id).Bind(3, app.name).Bind(4, ToJsonList(app.domains));
  if (app.callback_url.has_value()) {
    stmt.Bind(5, *app.callback_url);
  } else {
    stmt.BindNull(5);
  }
  stmt.Bind(6, app.has_oauth)
      .Bind(7, app.oauth_callback_url)
      .Bind(8, ToJsonList(app.scopes))
      .Bind(9, app.secret_hash)
      .Bind(10, app.is_approved)
      .Bind(11, app.can_insert_everywhere);
  if (app.white_labeling_json.empty()) {
    stmt.BindNull(12);
  } else {
    stmt.Bind(12, app.white_labeling_json);
  }
  stmt.Bind(13, app.refresh_requires_client_credentials).Bind(14, app.require_pkce);
}

}  // namespace

Status SqlAppStore::Create(const ApiApp& app) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(
        auto stmt, connection.Prepare("INSERT INTO api_apps (client_id, owner_account_id, name, "
                                      "domains, callback_url, has_oauth, oauth_callback_url, "
                                      "scopes, secret_hash, is_approved, can_insert_everywhere, "
                                      "white_labeling_json, refresh_requires_client_credentials, "
                                      "require_pkce, created_at) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                      "?12, ?13, ?14, ?15)"));
    stmt.Bind(1, app.client_id).Bind(15, app.created_at);
    BindMutable(stmt, app);
    return stmt.Run();
  });
}

StatusOr<ApiApp> SqlAppStore::FindByClientId(const std::string& client_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<ApiApp> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(SelectApps() + "WHERE client_id = ?1"));
    stmt.Bind(1, client_id);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("App not found.");
    return ReadApp(stmt, 0);
  });
}

StatusOr<std::vector<ApiApp>> SqlAppStore::ListByOwner(const std::string& owner_account_id,
                                                       int64_t offset, int limit) {
  if (offset < 0 || limit < 0) return InvalidArgument("offset and limit must not be negative");
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<ApiApp>> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare(SelectApps() + "WHERE owner_account_id = ?1 ORDER BY "
                                                          "created_at DESC, client_id DESC "
                                                          "LIMIT ?2 OFFSET ?3"));
    stmt.Bind(1, owner_account_id).Bind(2, limit).Bind(3, offset);
    return ReadApps(stmt);
  });
}

StatusOr<std::vector<ApiApp>> SqlAppStore::ListAll(int64_t offset, int limit) {
  if (offset < 0 || limit < 0) return InvalidArgument("offset and limit must not be negative");
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<ApiApp>> {
    CS_ASSIGN_OR_RETURN(
        auto stmt,
        connection.Prepare(SelectApps() + "ORDER BY is_approved, created_at DESC, client_id "
                                          "DESC LIMIT ?1 OFFSET ?2"));
    stmt.Bind(1, limit).Bind(2, offset);
    return ReadApps(stmt);
  });
}

StatusOr<int64_t> SqlAppStore::CountByOwner(const std::string& owner_account_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<int64_t> {
    CS_ASSIGN_OR_RETURN(
        auto stmt, connection.Prepare("SELECT COUNT(*) FROM api_apps WHERE owner_account_id = ?1"));
    stmt.Bind(1, owner_account_id);
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Internal("COUNT returned no row");
    return stmt.Int(0);
  });
}

Status SqlAppStore::Update(const ApiApp& app) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(
        auto stmt, connection.Prepare("UPDATE api_apps SET owner_account_id = ?2, name = ?3, "
                                      "domains = ?4, callback_url = ?5, has_oauth = ?6, "
                                      "oauth_callback_url = ?7, scopes = ?8, secret_hash = ?9, "
                                      "is_approved = ?10, can_insert_everywhere = ?11, "
                                      "white_labeling_json = ?12, "
                                      "refresh_requires_client_credentials = ?13, "
                                      "require_pkce = ?14 WHERE client_id = ?1"));
    stmt.Bind(1, app.client_id);
    BindMutable(stmt, app);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() == 0) return NotFound("App not found.");
    return Status::Ok();
  });
}

Status SqlAppStore::Delete(const std::string& client_id, int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto del,
                          connection.Prepare("DELETE FROM api_apps WHERE client_id = ?1"));
      del.Bind(1, client_id);
      CS_RETURN_IF_ERROR(del.Run());
      if (connection.Changes() == 0) return NotFound("App not found.");
    }
    CS_ASSIGN_OR_RETURN(auto revoke, connection.Prepare("UPDATE oauth_grants SET revoked_at = ?2 "
                                                        "WHERE client_id = ?1 AND revoked_at = 0"));
    revoke.Bind(1, client_id).Bind(2, MarkTime(now));
    return revoke.Run();
  });
}

}  // namespace countersign
