#include "store/sql/sql_settings_store.h"

namespace countersign {
namespace {

// The stored value of `name` on `connection`, or nullopt.
StatusOr<std::optional<std::string>> SelectValue(SqlConnection& connection,
                                                 const std::string& name) {
  CS_ASSIGN_OR_RETURN(auto select,
                      connection.Prepare("SELECT value FROM server_settings WHERE name = ?1"));
  select.Bind(1, name);
  CS_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(select.Text(0));
}

}  // namespace

StatusOr<std::string> SqlSettingsStore::GetOrCreate(const std::string& name,
                                                    const std::string& value_if_absent) {
  return db_->Write([&](SqlConnection& connection) -> StatusOr<std::string> {
    {
      CS_ASSIGN_OR_RETURN(auto insert,
                          connection.Prepare("INSERT INTO server_settings (name, value) VALUES "
                                             "(?1, ?2) ON CONFLICT (name) DO NOTHING"));
      insert.Bind(1, name).Bind(2, value_if_absent);
      CS_RETURN_IF_ERROR(insert.Run());
    }
    CS_ASSIGN_OR_RETURN(std::optional<std::string> value, SelectValue(connection, name));
    if (!value) return Internal("setting vanished: " + name);
    return std::move(*value);
  });
}

StatusOr<std::optional<std::string>> SqlSettingsStore::Get(const std::string& name) {
  return db_->Read([&](SqlConnection& connection) { return SelectValue(connection, name); });
}

}  // namespace countersign
