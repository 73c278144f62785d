// SqlSignatureRequestStore: the signer PIN checks (failure count, lock, pass).
#include "store/sql/sql_signature_request_store.h"

namespace countersign {

StatusOr<PinState> SqlSignatureRequestStore::GetPinState(const std::string& signature_id) {
  return db_->Read([&](SqlConnection& connection) -> StatusOr<PinState> {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("SELECT pin_failures, pin_locked_until, pin_pass_hash "
                                           "FROM signatures WHERE signature_id = ?1"));
    stmt.Bind(1, signature_id);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Signature not found.");
    return PinState{static_cast<int>(stmt.Int(0)), stmt.Int(1), stmt.Text(2)};
  });
}

StatusOr<PinState> SqlSignatureRequestStore::RecordPinFailure(const std::string& signature_id,
                                                              int64_t now, int max_failures,
                                                              int64_t lock_seconds) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<PinState> {
    // SET expressions read the row as it was, so both see the old count.
    CS_ASSIGN_OR_RETURN(
        auto stmt,
        connection.Prepare("UPDATE signatures SET pin_failures = CASE WHEN pin_failures + 1 >= "
                           "?3 THEN 0 ELSE pin_failures + 1 END, pin_locked_until = CASE WHEN "
                           "pin_failures + 1 >= ?3 THEN ?2 + ?4 ELSE pin_locked_until END WHERE "
                           "signature_id = ?1 RETURNING pin_failures, pin_locked_until, "
                           "pin_pass_hash"));
    stmt.Bind(1, signature_id)
        .Bind(2, now)
        .Bind(3, static_cast<int64_t>(max_failures))
        .Bind(4, lock_seconds);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Signature not found.");
    PinState state{static_cast<int>(stmt.Int(0)), stmt.Int(1), stmt.Text(2)};
    CS_RETURN_IF_ERROR(stmt.Step().status());
    return state;
  });
}

Status SqlSignatureRequestStore::RecordPinSuccess(const std::string& signature_id,
                                                  const std::string& pass_hash) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("UPDATE signatures SET pin_failures = 0, "
                                           "pin_pass_hash = ?2 WHERE signature_id = ?1"));
    stmt.Bind(1, signature_id).Bind(2, pass_hash);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() != 1) return NotFound("Signature not found.");
    return Status::Ok();
  });
}

}  // namespace countersign
