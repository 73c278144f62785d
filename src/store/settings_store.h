// SettingsStore: server-wide values shared by every instance through the database (for
// example the key that signs file download URLs). Thread-safe.
#pragma once

#include <string>

#include "core/status.h"

namespace countersign {

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  // The value of `name`; when absent, stores `value_if_absent` and returns it. Atomic: two
  // instances racing on first start agree on one value.
  virtual StatusOr<std::string> GetOrCreate(const std::string& name,
                                            const std::string& value_if_absent) = 0;
};

}  // namespace countersign
