// SqlSignatureRequestStore: the signer's link secret (its hash) and the sign_urls of embedded
// signing (single use, short-lived), which hand out a new one.
#include "store/sql/sql_signature_request_store.h"

namespace countersign {

Status SqlSignatureRequestStore::SetAccessHash(const std::string& signature_id,
                                               const std::string& access_hash) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("UPDATE signatures SET access_hash = ?2 "
                                                      "WHERE signature_id = ?1"));
    stmt.Bind(1, signature_id).Bind(2, access_hash);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() != 1) return NotFound("Signature not found.");
    return Status::Ok();
  });
}

Status SqlSignatureRequestStore::AddSignUrl(const std::string& signature_id,
                                            const std::string& token_hash, int64_t expires_at,
                                            int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto forget, connection.Prepare("DELETE FROM embedded_sign_urls WHERE "
                                                        "expires_at < ?1"));
    forget.Bind(1, now - 86400);
    CS_RETURN_IF_ERROR(forget.Run());
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("INSERT INTO embedded_sign_urls "
                                                      "(token_hash, signature_id, expires_at) "
                                                      "VALUES (?1, ?2, ?3)"));
    stmt.Bind(1, token_hash).Bind(2, signature_id).Bind(3, expires_at);
    return stmt.Run();
  });
}

StatusOr<bool> SqlSignatureRequestStore::RedeemSignUrl(const std::string& signature_id,
                                                       const std::string& token_hash, int64_t now,
                                                       const std::string& access_hash) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    // The row count of this conditional UPDATE picks the single winner.
    CS_ASSIGN_OR_RETURN(auto use, connection.Prepare("UPDATE embedded_sign_urls SET used_at = ?3 "
                                                     "WHERE token_hash = ?1 AND signature_id = ?2 "
                                                     "AND used_at = 0 AND expires_at > ?3"));
    use.Bind(1, token_hash).Bind(2, signature_id).Bind(3, now);
    CS_RETURN_IF_ERROR(use.Run());
    if (connection.Changes() != 1) return false;
    CS_ASSIGN_OR_RETURN(auto link, connection.Prepare("UPDATE signatures SET access_hash = ?2 "
                                                      "WHERE signature_id = ?1"));
    link.Bind(1, signature_id).Bind(2, access_hash);
    CS_RETURN_IF_ERROR(link.Run());
    if (connection.Changes() != 1) return NotFound("Signature not found.");
    return true;
  });
}

}  // namespace countersign
