// SqlSettingsStore: SettingsStore over the `server_settings` table. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/settings_store.h"
#include "store/sql/sql_database.h"

namespace countersign {

class SqlSettingsStore : public SettingsStore {
 public:
  explicit SqlSettingsStore(std::shared_ptr<SqlDatabase> db) : db_(std::move(db)) {}
  StatusOr<std::string> GetOrCreate(const std::string& name,
                                    const std::string& value_if_absent) override;
  StatusOr<std::optional<std::string>> Get(const std::string& name) override;

 private:
  std::shared_ptr<SqlDatabase> db_;
};

}  // namespace countersign
