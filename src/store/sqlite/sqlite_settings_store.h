// SqliteSettingsStore: SettingsStore over the `server_settings` table. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/settings_store.h"
#include "store/sqlite/sqlite_db.h"

namespace countersign {

class SqliteSettingsStore : public SettingsStore {
 public:
  explicit SqliteSettingsStore(std::shared_ptr<SqliteDb> db) : db_(std::move(db)) {}
  StatusOr<std::string> GetOrCreate(const std::string& name,
                                    const std::string& value_if_absent) override;

 private:
  std::shared_ptr<SqliteDb> db_;
};

}  // namespace countersign
