// PostgresSettingsStore: SettingsStore over the `server_settings` table. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/postgres_db.h"
#include "store/settings_store.h"

namespace countersign {

class PostgresSettingsStore : public SettingsStore {
 public:
  explicit PostgresSettingsStore(std::shared_ptr<PostgresDb> db) : db_(std::move(db)) {}
  StatusOr<std::string> GetOrCreate(const std::string& name,
                                    const std::string& value_if_absent) override;

 private:
  std::shared_ptr<PostgresDb> db_;
};

}  // namespace countersign
