#include "app/storage_config.h"

#include <filesystem>

#include "store/postgres/postgres_stores.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign {

StatusOr<Stores> OpenConfiguredStores(const Config& config) {
  if (IsPostgresUrl(config.database)) {
    return OpenPostgresStores(config.database, config.database_pool);
  }
  std::string path = config.database.empty()
                         ? (std::filesystem::path(config.data_dir) / "countersign.db").string()
                         : config.database;
  return OpenSqliteStores(path, config.database_pool);
}

std::string FilesDir(const Config& config) {
  if (!config.files_dir.empty()) return config.files_dir;
  return (std::filesystem::path(config.data_dir) / "files").string();
}

std::string SecretKeyPath(const Config& config) {
  if (!config.secret_key_file.empty()) return config.secret_key_file;
  return (std::filesystem::path(config.data_dir) / "secret.key").string();
}

}  // namespace countersign
