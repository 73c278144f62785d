// AppStore: persistence of API apps. Thread-safe; each method is atomic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/records.h"

namespace countersign {

class AppStore {
 public:
  virtual ~AppStore() = default;

  virtual Status Create(const ApiApp& app) = 0;
  // kNotFound when absent.
  virtual StatusOr<ApiApp> FindByClientId(const std::string& client_id) = 0;
  // The owner's apps, newest first; `offset` rows skipped, at most `limit` returned.
  virtual StatusOr<std::vector<ApiApp>> ListByOwner(const std::string& owner_account_id,
                                                    int64_t offset, int limit) = 0;
  virtual StatusOr<int64_t> CountByOwner(const std::string& owner_account_id) = 0;
  // Every app, those waiting for approval first, then newest first; at most `limit`.
  virtual StatusOr<std::vector<ApiApp>> ListAll(int64_t offset, int limit) = 0;
  // Replaces every mutable column. kNotFound when absent.
  virtual Status Update(const ApiApp& app) = 0;
  // Deletes the app and revokes every grant of it (at `now`), atomically. kNotFound if absent.
  virtual Status Delete(const std::string& client_id, int64_t now) = 0;
};

}  // namespace countersign
