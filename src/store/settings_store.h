// SettingsStore: server-wide values shared by every instance through the database (for
// example the key that signs file download URLs). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace countersign {

// The server's seal identity (app/application.cc), created at the first start of every version
// since final PDFs were sealed: a database without it has not been served before.
inline constexpr char kSealIdentitySetting[] = "seal_identity";

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  // The value of `name`; when absent, stores `value_if_absent` and returns it. Atomic: two
  // instances racing on first start agree on one value.
  virtual StatusOr<std::string> GetOrCreate(const std::string& name,
                                            const std::string& value_if_absent) = 0;
  // The value of `name`, or nullopt when it was never set.
  virtual StatusOr<std::optional<std::string>> Get(const std::string& name) = 0;
};

}  // namespace countersign
