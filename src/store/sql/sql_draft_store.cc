#include "store/sql/sql_draft_store.h"

#include "store/sql/sql_file_rows.h"
#include "store/sql/sql_like.h"

namespace countersign {

namespace {

constexpr char kColumns[] =
    "id, signature_request_id, account_id, claimed_by, client_id, type, embedded, "
    "requester_email, from_template, test_mode, body_json, signing_redirect_url, "
    "requesting_redirect_url, claim_token_hash, page_secret_hash, created_at, expires_at, "
    "sent_at, created_by_client_id";

constexpr char kNotFound[] = "Draft not found.";

// The draft whose `column` is `value`, with its files. kNotFound when absent.
StatusOr<Draft> Load(SqlConnection& connection, const char* column, const std::string& value) {
  Draft d;
  {
    CS_ASSIGN_OR_RETURN(auto row, connection.Prepare(std::string("SELECT ") + kColumns +
                                                     " FROM drafts WHERE " + column + " = ?1"));
    row.Bind(1, value);
    CS_ASSIGN_OR_RETURN(bool found, row.Step());
    if (!found) return NotFound(kNotFound);
    d.id = row.Text(0);
    d.signature_request_id = row.Text(1);
    d.account_id = row.Text(2);
    d.claimed_by = row.Text(3);
    d.client_id = row.Text(4);
    d.type = row.Text(5);
    d.embedded = row.Bool(6);
    d.requester_email = row.Text(7);
    d.from_template = row.Bool(8);
    d.test_mode = row.Bool(9);
    d.body_json = row.Text(10);
    d.signing_redirect_url = row.Text(11);
    d.requesting_redirect_url = row.Text(12);
    d.claim_token_hash = row.Text(13);
    d.page_secret_hash = row.Text(14);
    d.created_at = row.Int(15);
    d.expires_at = row.Int(16);
    if (const int64_t sent = row.Int(17); sent != 0) d.sent_at = sent;
    d.created_by_client_id = row.Text(18);
  }
  CS_ASSIGN_OR_RETURN(d.files, LoadFileRows(connection, kDraftFiles, d.id));
  return d;
}

}  // namespace

Status SqlDraftStore::Insert(const Draft& d) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare(std::string("INSERT INTO drafts (") + kColumns +
                                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                             "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"));
      stmt.Bind(1, d.id)
          .Bind(2, d.signature_request_id)
          .Bind(3, d.account_id)
          .Bind(4, d.claimed_by)
          .Bind(5, d.client_id)
          .Bind(6, d.type)
          .Bind(7, d.embedded)
          .Bind(8, d.requester_email)
          .Bind(9, d.from_template)
          .Bind(10, d.test_mode)
          .Bind(11, d.body_json)
          .Bind(12, d.signing_redirect_url)
          .Bind(13, d.requesting_redirect_url)
          .Bind(14, d.claim_token_hash)
          .Bind(15, d.page_secret_hash)
          .Bind(16, d.created_at)
          .Bind(17, d.expires_at)
          .Bind(18, d.sent_at.value_or(0))
          .Bind(19, d.created_by_client_id);
      CS_RETURN_IF_ERROR(stmt.Run());
    }
    return InsertFileRows(connection, kDraftFiles, d.id, d.files);
  });
}

StatusOr<Draft> SqlDraftStore::Get(const std::string& id) {
  return db_->Read([&](SqlConnection& connection) { return Load(connection, "id", id); });
}

StatusOr<Draft> SqlDraftStore::FindByClaimHash(const std::string& hash) {
  if (hash.empty()) return NotFound(kNotFound);
  return db_->Read(
      [&](SqlConnection& connection) { return Load(connection, "claim_token_hash", hash); });
}

StatusOr<bool> SqlDraftStore::Claim(const std::string& hash, const std::string& account_id,
                                    int64_t now) {
  if (hash.empty()) return false;
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("UPDATE drafts SET claimed_by = ?1 WHERE "
                                           "claim_token_hash = ?2 AND claimed_by = '' AND "
                                           "page_secret_hash = '' AND sent_at = 0 AND "
                                           "expires_at > ?3"));
    stmt.Bind(1, account_id).Bind(2, hash).Bind(3, now);
    CS_RETURN_IF_ERROR(stmt.Run());
    return connection.Changes() == 1;
  });
}

StatusOr<bool> SqlDraftStore::SetPageSecret(const std::string& id, const std::string& secret_hash,
                                            int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("UPDATE drafts SET page_secret_hash = ?1, claimed_by "
                                           "= account_id WHERE id = ?2 AND claimed_by = '' AND "
                                           "page_secret_hash = '' AND sent_at = 0 AND "
                                           "expires_at > ?3"));
    stmt.Bind(1, secret_hash).Bind(2, id).Bind(3, now);
    CS_RETURN_IF_ERROR(stmt.Run());
    return connection.Changes() == 1;
  });
}

Status SqlDraftStore::UpdateBody(const std::string& id, const std::string& body_json,
                                 bool test_mode) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE drafts SET body_json = ?1, "
                                                      "test_mode = ?2 WHERE id = ?3 AND "
                                                      "sent_at = 0"));
    stmt.Bind(1, body_json).Bind(2, test_mode).Bind(3, id);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() != 1) return NotFound(kNotFound);
    return Status::Ok();
  });
}

StatusOr<bool> SqlDraftStore::MarkSent(const std::string& id, int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE drafts SET sent_at = ?1 WHERE id "
                                                      "= ?2 AND sent_at = 0"));
    stmt.Bind(1, now).Bind(2, id);
    CS_RETURN_IF_ERROR(stmt.Run());
    return connection.Changes() == 1;
  });
}

StatusOr<std::vector<Draft>> SqlDraftStore::FindBodiesContaining(const std::string& text,
                                                                 const std::string& after_id,
                                                                 int limit) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<std::vector<Draft>> {
    CS_ASSIGN_OR_RETURN(auto rows, connection.Prepare("SELECT id, body_json FROM drafts WHERE id > "
                                                      "?1 AND body_json LIKE ?2 ESCAPE '\\' "
                                                      "ORDER BY id LIMIT ?3"));
    rows.Bind(1, after_id).Bind(2, LikeContains(text)).Bind(3, limit);
    std::vector<Draft> found;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, rows.Step());
      if (!row) break;
      Draft& d = found.emplace_back();
      d.id = rows.Text(0);
      d.body_json = rows.Text(1);
    }
    return found;
  });
}

StatusOr<bool> SqlDraftStore::ReplaceBody(const std::string& id, const std::string& expected,
                                          const std::string& body_json) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE drafts SET body_json = ?1 WHERE id "
                                                      "= ?2 AND body_json = ?3"));
    stmt.Bind(1, body_json).Bind(2, id).Bind(3, expected);
    CS_RETURN_IF_ERROR(stmt.Run());
    return connection.Changes() == 1;
  });
}

}  // namespace countersign
