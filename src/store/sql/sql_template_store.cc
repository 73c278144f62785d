#include "store/sql/sql_template_store.h"

#include <iterator>
#include <nlohmann/json.hpp>

#include "store/sql/sql_event_writer.h"
#include "store/sql/sql_file_rows.h"
#include "store/sql/sql_json.h"
#include "store/sql/sql_like.h"

namespace countersign {

namespace {

using nlohmann::json;

constexpr char kColumns[] =
    "id, account_id, client_id, created_by_client_id, title, subject, message, metadata, "
    "test_mode, allow_reassign, signer_roles, cc_roles, merge_fields, form_fields, "
    "form_field_groups, form_field_rules, field_options, updated_at, created_at";

// The mutable columns, in kColumns order from `title` to `updated_at`.
constexpr const char* kMutable[] = {"title",         "subject",           "message",
                                    "metadata",      "test_mode",         "allow_reassign",
                                    "signer_roles",  "cc_roles",          "merge_fields",
                                    "form_fields",   "form_field_groups", "form_field_rules",
                                    "field_options", "updated_at"};

std::string RolesJson(const std::vector<TemplateRole>& roles) {
  json out = json::array();
  for (const TemplateRole& r : roles) {
    out.push_back({{"name", r.name}, {"order", r.order ? json(*r.order) : json(nullptr)}});
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

StatusOr<std::vector<TemplateRole>> RolesFromJson(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Internal("stored signer_roles is not a JSON array");
  std::vector<TemplateRole> roles;
  for (const json& item : parsed) {
    if (!item.is_object() || !item.value("name", json()).is_string()) {
      return Internal("stored signer role is malformed");
    }
    TemplateRole role{item["name"].get<std::string>(), std::nullopt};
    if (item.contains("order") && item["order"].is_number_integer()) {
      role.order = item["order"].get<int>();
    }
    roles.push_back(std::move(role));
  }
  return roles;
}

std::string MergeFieldsJson(const std::vector<TemplateMergeField>& fields) {
  json out = json::array();
  for (const TemplateMergeField& f : fields) out.push_back({{"name", f.name}, {"type", f.type}});
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

StatusOr<std::vector<TemplateMergeField>> MergeFieldsFromJson(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return Internal("stored merge_fields is not a JSON array");
  std::vector<TemplateMergeField> fields;
  for (const json& item : parsed) {
    if (!item.is_object() || !item.value("name", json()).is_string() ||
        !item.value("type", json()).is_string()) {
      return Internal("stored merge field is malformed");
    }
    fields.push_back({item["name"].get<std::string>(), item["type"].get<std::string>()});
  }
  return fields;
}

// Binds the mutable columns (kMutable) as ?first, ?first+1, ...
void BindMutable(SqlStatement& stmt, const Template& t, int first) {
  stmt.Bind(first, t.title)
      .Bind(first + 1, t.subject)
      .Bind(first + 2, t.message)
      .Bind(first + 3, t.metadata_json)
      .Bind(first + 4, t.test_mode)
      .Bind(first + 5, t.allow_reassign)
      .Bind(first + 6, RolesJson(t.signer_roles))
      .Bind(first + 7, ToJsonList(t.cc_roles))
      .Bind(first + 8, MergeFieldsJson(t.merge_fields))
      .Bind(first + 9, t.form_fields_json)
      .Bind(first + 10, t.form_field_groups_json)
      .Bind(first + 11, t.form_field_rules_json)
      .Bind(first + 12, t.field_options_json)
      .Bind(first + 13, t.updated_at);
}

Status DeleteRows(SqlConnection& connection, const char* table, const std::string& id) {
  CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(std::string("DELETE FROM ") + table +
                                                    " WHERE template_id = ?1"));
  stmt.Bind(1, id);
  return stmt.Run();
}

StatusOr<Template> Load(SqlConnection& connection, const std::string& id) {
  Template t;
  {
    CS_ASSIGN_OR_RETURN(auto row, connection.Prepare(std::string("SELECT ") + kColumns +
                                                     " FROM templates WHERE id = ?1"));
    row.Bind(1, id);
    CS_ASSIGN_OR_RETURN(bool found, row.Step());
    if (!found) return NotFound("Template not found.");
    t.id = row.Text(0);
    t.account_id = row.Text(1);
    t.client_id = row.Text(2);
    t.created_by_client_id = row.Text(3);
    t.title = row.Text(4);
    t.subject = row.Text(5);
    t.message = row.Text(6);
    t.metadata_json = row.Text(7);
    t.test_mode = row.Bool(8);
    t.allow_reassign = row.Bool(9);
    CS_ASSIGN_OR_RETURN(t.signer_roles, RolesFromJson(row.Text(10)));
    CS_ASSIGN_OR_RETURN(t.cc_roles, FromJsonList(row.Text(11)));
    CS_ASSIGN_OR_RETURN(t.merge_fields, MergeFieldsFromJson(row.Text(12)));
    t.form_fields_json = row.Text(13);
    t.form_field_groups_json = row.Text(14);
    t.form_field_rules_json = row.Text(15);
    t.field_options_json = row.Text(16);
    t.updated_at = row.Int(17);
    t.created_at = row.Int(18);
  }
  CS_ASSIGN_OR_RETURN(t.files, LoadFileRows(connection, kTemplateFiles, id));
  CS_ASSIGN_OR_RETURN(auto shares, connection.Prepare("SELECT account_id FROM template_shares "
                                                      "WHERE template_id = ?1 ORDER BY "
                                                      "created_at, account_id"));
  shares.Bind(1, id);
  while (true) {
    CS_ASSIGN_OR_RETURN(bool row, shares.Step());
    if (!row) break;
    t.shared_account_ids.push_back(shares.Text(0));
  }
  return t;
}

}  // namespace

Status SqlTemplateStore::Create(const Template& t, const std::vector<EventRecord>& events) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare(std::string("INSERT INTO templates (") + kColumns +
                                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                             "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                             "?16, ?17, ?18, ?19)"));
      stmt.Bind(1, t.id).Bind(2, t.account_id).Bind(3, t.client_id).Bind(4, t.created_by_client_id);
      BindMutable(stmt, t, 5);
      stmt.Bind(19, t.created_at);
      CS_RETURN_IF_ERROR(stmt.Run());
    }
    CS_RETURN_IF_ERROR(InsertFileRows(connection, kTemplateFiles, t.id, t.files));
    for (const std::string& account : t.shared_account_ids) {
      CS_ASSIGN_OR_RETURN(auto share,
                          connection.Prepare("INSERT INTO template_shares (template_id, "
                                             "account_id, created_at) VALUES (?1, ?2, ?3)"));
      share.Bind(1, t.id).Bind(2, account).Bind(3, t.created_at);
      CS_RETURN_IF_ERROR(share.Run());
    }
    for (const EventRecord& e : events)
      CS_RETURN_IF_ERROR(InsertEvent(connection, e, t.created_at));
    return Status::Ok();
  });
}

StatusOr<Template> SqlTemplateStore::Get(const std::string& id) {
  return db_->Read([&](SqlConnection& connection) { return Load(connection, id); });
}

StatusOr<TemplatePage> SqlTemplateStore::List(const TemplateListFilter& filter) {
  // ?1 the account; then the app when own templates are limited to it; then the title words;
  // then LIMIT and OFFSET. Parameters are numbered without gaps (PostgreSQL types each one).
  std::vector<std::string> texts = {filter.account_id};
  std::string where = "(t.account_id = ?1";
  if (filter.created_by_client_id) {
    texts.push_back(*filter.created_by_client_id);
    where += " AND t.created_by_client_id = ?2";
  }
  where +=
      " OR EXISTS (SELECT 1 FROM template_shares s WHERE s.template_id = t.id AND "
      "s.account_id = ?1))";
  for (const std::string& word : filter.title_words) {
    texts.push_back(LikeContains(word));
    where += " AND " + LikeIgnoringCase("t.title", "?" + std::to_string(texts.size()));
  }
  const int limit_param = static_cast<int>(texts.size()) + 1;
  auto bind = [&](SqlStatement& stmt) {
    for (size_t i = 0; i < texts.size(); ++i) stmt.Bind(static_cast<int>(i) + 1, texts[i]);
  };
  return db_->Read([&](SqlConnection& connection) -> StatusOr<TemplatePage> {
    TemplatePage page;
    std::vector<std::string> ids;
    {
      CS_ASSIGN_OR_RETURN(auto stmt,
                          connection.Prepare("SELECT t.id FROM templates t WHERE " + where +
                                             " ORDER BY t.created_at DESC, t.id DESC LIMIT ?" +
                                             std::to_string(limit_param) + " OFFSET ?" +
                                             std::to_string(limit_param + 1)));
      bind(stmt);
      stmt.Bind(limit_param, filter.limit).Bind(limit_param + 1, filter.offset);
      while (true) {
        CS_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        ids.push_back(stmt.Text(0));
      }
    }
    for (const std::string& id : ids) {
      CS_ASSIGN_OR_RETURN(Template t, Load(connection, id));
      page.templates.push_back(std::move(t));
    }
    CS_ASSIGN_OR_RETURN(auto count,
                        connection.Prepare("SELECT COUNT(*) FROM templates t WHERE " + where));
    bind(count);
    CS_ASSIGN_OR_RETURN(bool row, count.Step());
    page.total = row ? count.Int(0) : 0;
    return page;
  });
}

Status SqlTemplateStore::Update(const Template& t) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    {
      std::string sql = "UPDATE templates SET ";
      for (size_t i = 0; i < std::size(kMutable); ++i) {
        sql += std::string(i ? ", " : "") + kMutable[i] + " = ?" + std::to_string(i + 2);
      }
      CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare(sql + " WHERE id = ?1"));
      stmt.Bind(1, t.id);
      BindMutable(stmt, t, 2);
      CS_RETURN_IF_ERROR(stmt.Run());
      if (connection.Changes() != 1) return NotFound("Template not found.");
    }
    CS_RETURN_IF_ERROR(DeleteRows(connection, "template_files", t.id));
    return InsertFileRows(connection, kTemplateFiles, t.id, t.files);
  });
}

Status SqlTemplateStore::Delete(const std::string& id) {
  return db_->Write([&](SqlConnection& connection) -> Status {
    CS_RETURN_IF_ERROR(DeleteRows(connection, "template_files", id));
    CS_RETURN_IF_ERROR(DeleteRows(connection, "template_shares", id));
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("DELETE FROM templates WHERE id = ?1"));
    stmt.Bind(1, id);
    CS_RETURN_IF_ERROR(stmt.Run());
    if (connection.Changes() != 1) return NotFound("Template not found.");
    return Status::Ok();
  });
}

StatusOr<bool> SqlTemplateStore::AddShare(const std::string& template_id,
                                          const std::string& account_id, int64_t now) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    {
      CS_ASSIGN_OR_RETURN(auto exists, connection.Prepare("SELECT 1 FROM templates WHERE id = ?1"));
      exists.Bind(1, template_id);
      CS_ASSIGN_OR_RETURN(bool found, exists.Step());
      if (!found) return NotFound("Template not found.");
    }
    CS_ASSIGN_OR_RETURN(auto stmt,
                        connection.Prepare("INSERT INTO template_shares (template_id, "
                                           "account_id, created_at) VALUES (?1, ?2, ?3) ON "
                                           "CONFLICT DO NOTHING"));
    stmt.Bind(1, template_id).Bind(2, account_id).Bind(3, now);
    CS_RETURN_IF_ERROR(stmt.Run());
    return connection.Changes() == 1;
  });
}

StatusOr<bool> SqlTemplateStore::RemoveShare(const std::string& template_id,
                                             const std::string& account_id) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<bool> {
    CS_ASSIGN_OR_RETURN(auto stmt, connection.Prepare("DELETE FROM template_shares WHERE "
                                                      "template_id = ?1 AND account_id = ?2"));
    stmt.Bind(1, template_id).Bind(2, account_id);
    CS_RETURN_IF_ERROR(stmt.Run());
    return connection.Changes() == 1;
  });
}

}  // namespace countersign
