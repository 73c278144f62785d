#include "store/sql/sql_signature_request_rows.h"

#include "store/sql/sql_file_rows.h"
#include "store/sql/sql_json.h"
#include "store/sql/sql_like.h"
#include "store/sql/sql_lock_spaces.h"

namespace countersign {

namespace {

constexpr char kRequestColumns[] =
    "id, account_id, requester_email, client_id, created_by_client_id, title, original_title, "
    "subject, message, metadata, test_mode, allow_decline, allow_reassign, signing_options, "
    "field_options, form_fields, signing_redirect_url, cc_emails, created_at, expires_at, "
    "is_complete, is_declined, has_error, canceled_at, final_state, final_sha256, expired_at, "
    "custom_fields, form_field_groups, form_field_rules, embedded, template_ids";

constexpr char kSignatureColumns[] =
    "signature_id, position, signer_order, name, email, pin_hash, status_code, signed_at, "
    "last_viewed_at, last_reminded_at, decline_reason, access_hash, signature_kind, "
    "signature_data, signer_ip, signer_user_agent, field_values, signer_role";

// The SQL (after "WHERE l.account_id = ?") that keeps the requests of `f.box`; `param` binds a
// text value and returns its placeholder. `now` is a number the server chose, written inline.
template <typename Param>
std::string BoxCondition(const RequestListFilter& f, Param& param) {
  const std::string now = std::to_string(f.now);
  const std::string expired =
      "r.is_complete = 0 AND (r.expired_at != 0 OR (r.expires_at != 0 AND r.expires_at <= " + now +
      "))";
  const std::string open =
      " AND r.canceled_at = 0 AND r.is_complete = 0 AND r.is_declined = 0 "
      "AND r.expired_at = 0 AND (r.expires_at = 0 OR r.expires_at > " +
      now + ")";
  switch (f.box) {
    case RequestBox::kAll:
      return " AND r.canceled_at = 0";
    case RequestBox::kWaitingForMe:
      // My signature awaits and it is my turn: no awaiting signer comes before me in the
      // signing order (SignersWhoseTurnItIs, written in SQL).
      return open +
             " AND EXISTS (SELECT 1 FROM signatures s WHERE s.request_id = r.id AND s.email = " +
             param(f.viewer_email) +
             " AND s.status_code = 'awaiting_signature' AND NOT EXISTS (SELECT 1 FROM signatures o"
             " WHERE o.request_id = s.request_id AND o.status_code = 'awaiting_signature'"
             " AND COALESCE(o.signer_order, o.position) < COALESCE(s.signer_order, s.position)"
             " AND EXISTS (SELECT 1 FROM signatures a WHERE a.request_id = s.request_id"
             " AND a.signer_order IS NOT NULL)))";
    case RequestBox::kWaitingForOthers:
      return open + " AND r.account_id = l.account_id";
    case RequestBox::kCompleted:
      return " AND r.canceled_at = 0 AND r.is_complete = 1";
    case RequestBox::kDeclined:
      return " AND r.canceled_at = 0 AND r.is_declined = 1";
    case RequestBox::kCanceled:
      return " AND r.canceled_at != 0";
    case RequestBox::kExpired:
      return " AND r.canceled_at = 0 AND " + expired;
  }
  return " AND r.canceled_at = 0";
}

}  // namespace

Status InsertRequestRow(SqlConnection& connection, const SignatureRequest& r) {
  CS_ASSIGN_OR_RETURN(
      auto stmt,
      connection.Prepare(std::string("INSERT INTO signature_requests (") + kRequestColumns +
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                         "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
                         "?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)"));
  stmt.Bind(1, r.id)
      .Bind(2, r.account_id)
      .Bind(3, r.requester_email)
      .Bind(4, r.client_id)
      .Bind(5, r.created_by_client_id)
      .Bind(6, r.title)
      .Bind(7, r.original_title)
      .Bind(8, r.subject)
      .Bind(9, r.message)
      .Bind(10, r.metadata_json)
      .Bind(11, r.test_mode)
      .Bind(12, r.allow_decline)
      .Bind(13, r.allow_reassign)
      .Bind(14, r.signing_options_json)
      .Bind(15, r.field_options_json)
      .Bind(16, r.form_fields_json)
      .Bind(17, r.signing_redirect_url)
      .Bind(18, ToJsonList(r.cc_emails))
      .Bind(19, r.created_at)
      .Bind(20, r.expires_at)
      .Bind(21, r.is_complete)
      .Bind(22, r.is_declined)
      .Bind(23, r.has_error)
      .Bind(24, r.canceled_at)
      .Bind(25, static_cast<int>(r.final_state))
      .Bind(26, r.final_sha256)
      .Bind(27, r.expired_at)
      .Bind(28, r.custom_fields_json)
      .Bind(29, r.form_field_groups_json)
      .Bind(30, r.form_field_rules_json)
      .Bind(31, r.embedded)
      .Bind(32, r.template_ids.empty() ? std::string() : ToJsonList(r.template_ids));
  return stmt.Run();
}

Status InsertSignatureRow(SqlConnection& connection, const std::string& request_id,
                          const Signature& s) {
  CS_ASSIGN_OR_RETURN(
      auto stmt,
      connection.Prepare(std::string("INSERT INTO signatures (") + kSignatureColumns +
                         ", request_id) VALUES (?1, ?2, ?3, ?4, ?5, "
                         "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14, ?15, ?16, ?17, ?18, ?19, ?13)"));
  stmt.Bind(1, s.signature_id).Bind(2, s.position);
  if (s.order) {
    stmt.Bind(3, *s.order);
  } else {
    stmt.BindNull(3);
  }
  stmt.Bind(4, s.name)
      .Bind(5, s.email)
      .Bind(6, s.pin_hash)
      .Bind(7, s.status_code)
      .Bind(8, s.signed_at)
      .Bind(9, s.last_viewed_at)
      .Bind(10, s.last_reminded_at)
      .Bind(11, s.decline_reason)
      .Bind(12, s.access_hash)
      .Bind(13, request_id)
      .Bind(14, s.signature_kind)
      .Bind(15, s.signature_data)
      .Bind(16, s.signer_ip)
      .Bind(17, s.signer_user_agent)
      .Bind(18, s.field_values_json)
      .Bind(19, s.role);
  return stmt.Run();
}

Status AppendAuditRow(SqlConnection& connection, const std::string& request_id,
                      const AuditEntry& e) {
  CS_RETURN_IF_ERROR(connection.LockKey(kRequestAuditLockSpace, request_id));
  CS_ASSIGN_OR_RETURN(auto stmt,
                      connection.Prepare("INSERT INTO request_audit (request_id, seq, at, action, "
                                         "actor_email, ip, user_agent) SELECT ?1, "
                                         "COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6 FROM "
                                         "request_audit WHERE request_id = ?1"));
  stmt.Bind(1, request_id)
      .Bind(2, e.at)
      .Bind(3, e.action)
      .Bind(4, e.actor_email)
      .Bind(5, e.ip)
      .Bind(6, e.user_agent.substr(0, 512));
  return stmt.Run();
}

StatusOr<SignatureRequest> LoadRequest(SqlConnection& connection, const std::string& id) {
  SignatureRequest r;
  {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(std::string("SELECT ") + kRequestColumns +
                                                      " FROM signature_requests WHERE id = ?1"));
    stmt.Bind(1, id);
    CS_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found) return NotFound("Signature request not found.");
    r.id = stmt.Text(0);
    r.account_id = stmt.Text(1);
    r.requester_email = stmt.Text(2);
    r.client_id = stmt.Text(3);
    r.created_by_client_id = stmt.Text(4);
    r.title = stmt.Text(5);
    r.original_title = stmt.Text(6);
    r.subject = stmt.Text(7);
    r.message = stmt.Text(8);
    r.metadata_json = stmt.Text(9);
    r.test_mode = stmt.Bool(10);
    r.allow_decline = stmt.Bool(11);
    r.allow_reassign = stmt.Bool(12);
    r.signing_options_json = stmt.Text(13);
    r.field_options_json = stmt.Text(14);
    r.form_fields_json = stmt.Text(15);
    r.signing_redirect_url = stmt.Text(16);
    CS_ASSIGN_OR_RETURN(r.cc_emails, FromJsonList(stmt.Text(17)));
    r.created_at = stmt.Int(18);
    r.expires_at = stmt.Int(19);
    r.is_complete = stmt.Bool(20);
    r.is_declined = stmt.Bool(21);
    r.has_error = stmt.Bool(22);
    r.canceled_at = stmt.Int(23);
    r.final_state = static_cast<FinalState>(stmt.Int(24));
    r.final_sha256 = stmt.Text(25);
    r.expired_at = stmt.Int(26);
    r.custom_fields_json = stmt.Text(27);
    r.form_field_groups_json = stmt.Text(28);
    r.form_field_rules_json = stmt.Text(29);
    r.embedded = stmt.Bool(30);
    if (!stmt.Text(31).empty()) {
      CS_ASSIGN_OR_RETURN(r.template_ids, FromJsonList(stmt.Text(31)));
    }
  }
  CS_ASSIGN_OR_RETURN(r.files, LoadFileRows(connection, kRequestFiles, id));
  CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(std::string("SELECT ") + kSignatureColumns +
                                                    " FROM signatures WHERE request_id = ?1 "
                                                    "ORDER BY position"));
  stmt.Bind(1, id);
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    Signature s;
    s.signature_id = stmt.Text(0);
    s.position = static_cast<int>(stmt.Int(1));
    if (!stmt.IsNull(2)) s.order = static_cast<int>(stmt.Int(2));
    s.name = stmt.Text(3);
    s.email = stmt.Text(4);
    s.pin_hash = stmt.Text(5);
    s.status_code = stmt.Text(6);
    s.signed_at = stmt.Int(7);
    s.last_viewed_at = stmt.Int(8);
    s.last_reminded_at = stmt.Int(9);
    s.decline_reason = stmt.Text(10);
    s.access_hash = stmt.Text(11);
    s.signature_kind = stmt.Text(12);
    s.signature_data = stmt.Text(13);
    s.signer_ip = stmt.Text(14);
    s.signer_user_agent = stmt.Text(15);
    s.field_values_json = stmt.Text(16);
    s.role = stmt.Text(17);
    r.signatures.push_back(std::move(s));
  }
  return r;
}

ListQuery BuildListQuery(const RequestListFilter& f) {
  ListQuery q;
  q.limit = f.limit;
  q.offset = f.offset;
  auto param = [&q](std::string value) {
    q.text_params.push_back(std::move(value));
    return "?" + std::to_string(q.text_params.size());
  };
  std::string where = "l.account_id = " + param(f.account_id);
  where += BoxCondition(f, param);
  if (f.created_by_client_id) {
    where += " AND l.created_by_client_id = " + param(*f.created_by_client_id);
  }
  if (f.sent_only) where += " AND r.account_id = l.account_id";
  for (const auto& t : f.title_terms) {
    where += " AND " + LikeIgnoringCase("r.title", param(LikeContains(t)));
  }
  auto in_list = [&](const std::vector<std::string>& values) {
    std::string list;
    for (const auto& v : values) list += (list.empty() ? "" : ", ") + param(v);
    return "(" + list + ")";
  };
  if (!f.to_emails.empty()) {
    where += " AND EXISTS (SELECT 1 FROM signatures s WHERE s.request_id = r.id AND s.email IN " +
             in_list(f.to_emails) + ")";
  }
  if (!f.from_emails.empty()) where += " AND r.requester_email IN " + in_list(f.from_emails);
  for (const auto& w : f.words) {
    std::string p = param(LikeContains(w));
    where += " AND (" + LikeIgnoringCase("r.title", p) + " OR " + LikeIgnoringCase("r.subject", p) +
             " OR " + LikeIgnoringCase("r.message", p) +
             " OR EXISTS (SELECT 1 FROM signatures s WHERE s.request_id = r.id AND (" +
             LikeIgnoringCase("s.name", p) + " OR " + LikeIgnoringCase("s.email", p) + ")))";
  }
  q.has_search_terms = f.box != RequestBox::kAll || f.sent_only || !f.title_terms.empty() ||
                       !f.to_emails.empty() || !f.from_emails.empty() || !f.words.empty();
  const std::string from =
      " FROM request_listing l JOIN signature_requests r ON r.id = l.request_id WHERE " + where;
  q.select_sql = "SELECT l.request_id" + from +
                 " ORDER BY l.created_at DESC, l.request_id DESC LIMIT ?" +
                 std::to_string(q.text_params.size() + 1) + " OFFSET ?" +
                 std::to_string(q.text_params.size() + 2);
  q.count_sql = "SELECT COUNT(*)" + from;
  return q;
}

void BindListQuery(SqlStatement& statement, const ListQuery& query) {
  int i = 1;
  for (const auto& p : query.text_params) statement.Bind(i++, p);
  if (statement.ParameterCount() >= i) {
    statement.Bind(i++, query.limit);
    statement.Bind(i++, query.offset);
  }
}

}  // namespace countersign
