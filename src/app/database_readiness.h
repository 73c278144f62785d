// DatabaseReadiness: the database part of /readyz (and /metrics' countersign_database_up),
// bounded in time. Each check (DatabaseProbe::Ping, then CheckMigrations) runs on a thread of
// its own and a caller waits for it at most `timeout`: a database that does not answer makes
// /readyz say so within that time instead of holding the probe (and the server thread that
// answers it) for as long as the database stays silent. Callers that come while a check is
// still running wait for that same check rather than start another, so a silent database holds
// one thread, not one per probe.
//
// Thread-safe. The destructor waits for a check still running (as a worker's Stop does).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "store/database_probe.h"

namespace countersign {

class DatabaseReadiness {
 public:
  DatabaseReadiness(DatabaseProbe& probe, std::chrono::milliseconds timeout);
  ~DatabaseReadiness();
  DatabaseReadiness(const DatabaseReadiness&) = delete;
  DatabaseReadiness& operator=(const DatabaseReadiness&) = delete;

  // Checks the database now: "" when it answers and every migration is applied; "database"
  // when it does not answer (or not within the timeout); "migrations" when the schema is
  // behind this binary.
  std::string Failing();

 private:
  void Run();  // the check thread's body

  DatabaseProbe& probe_;
  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::condition_variable finished_;
  bool running_ = false;  // a check is in flight; guarded by mu_
  uint64_t checks_ = 0;   // checks finished; guarded by mu_
  std::string result_;    // the last finished check's; guarded by mu_
  std::thread thread_;    // the last check's; joined before the next starts
};

}  // namespace countersign
