#include "store/sql/sql_session_store.h"

namespace countersign {

Status SqlSessionStore::Create(const Session& session) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("INSERT INTO sessions (id_hash, account_id, created_at, "
                                           "expires_at) VALUES (?1, ?2, ?3, ?4)"));
    stmt.Bind(1, session.id_hash)
        .Bind(2, session.account_id)
        .Bind(3, session.created_at)
        .Bind(4, session.expires_at);
    return stmt.Run();
  });
}

StatusOr<Session> SqlSessionStore::Find(const std::string& id_hash, int64_t now) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<Session> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("SELECT id_hash, account_id, created_at, expires_at "
                                           "FROM sessions WHERE id_hash = ?1 AND expires_at > ?2"));
    stmt.Bind(1, id_hash).Bind(2, now);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Session not found.");
    Session session;
    session.id_hash = stmt.Text(0);
    session.account_id = stmt.Text(1);
    session.created_at = stmt.Int(2);
    session.expires_at = stmt.Int(3);
    return session;
  });
}

Status SqlSessionStore::Delete(const std::string& id_hash) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("DELETE FROM sessions WHERE id_hash = ?1"));
    stmt.Bind(1, id_hash);
    return stmt.Run();
  });
}

StatusOr<int> SqlSessionStore::DeleteExpired(int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<int> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("DELETE FROM sessions WHERE expires_at <= ?1"));
    stmt.Bind(1, now);
    CS_RETURN_IF_ERROR(stmt.Run());
    return static_cast<int>(connection.Changes());
  });
}

}  // namespace countersign
