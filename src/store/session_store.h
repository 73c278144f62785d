// SessionStore: browser sessions, shared by every instance through the database. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"
#include "model/records.h"

namespace countersign {

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual Status Create(const Session& session) = 0;
  // The unexpired session (expires_at > now). kNotFound otherwise.
  virtual StatusOr<Session> Find(const std::string& id_hash, int64_t now) = 0;
  // Idempotent.
  virtual Status Delete(const std::string& id_hash) = 0;
  // Removes sessions with expires_at <= now; returns how many.
  virtual StatusOr<int> DeleteExpired(int64_t now) = 0;
};

}  // namespace countersign
