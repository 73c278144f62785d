// Where an instance keeps its state, from the Config (issue 7): the database (SQLite in the
// data folder by default, or PostgreSQL when --database names one), the folder of uploaded and
// produced files, and the server key file. Several instances behind one load balancer share a
// PostgreSQL database, one files folder (a shared mount) and one key file. Pure functions over
// the Config plus the store factory; thread-compatible.
#pragma once

#include <string>

#include "app/config.h"
#include "core/status.h"
#include "store/stores.h"

namespace countersign {

// Opens the stores `config` names: OpenPostgresStores(config.database, config.database_pool)
// for a postgres:// or postgresql:// URL, else SQLite at `config.database` (a file path), or at
// <data_dir>/countersign.db when it is empty.
StatusOr<Stores> OpenConfiguredStores(const Config& config);

// config.files_dir, or <data_dir>/files.
std::string FilesDir(const Config& config);

// config.secret_key_file, or <data_dir>/secret.key.
std::string SecretKeyPath(const Config& config);

}  // namespace countersign
