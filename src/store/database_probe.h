// DatabaseProbe: what an operator asks of the database rather than of the domain, for the
// health, readiness and metrics endpoints: does it answer, is the schema current, how busy is
// the connection pool, how deep are the durable work queues. Built with the stores by each
// backend (Stores::probe). Cheap: every call is one or two small indexed queries, or none.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace countersign {

// A connection pool's use (store/sql/sql_pool.h). A value type.
struct DatabasePoolStats {
  int size = 0;                   // connections in the pool
  int in_use = 0;                 // connections lent out now
  int waiting = 0;                // borrowers blocked now because all are lent out
  uint64_t acquired_total = 0;    // connections lent since start
  uint64_t waits_total = 0;       // of those, lent only after waiting
  double wait_seconds_total = 0;  // time spent in those waits
  // Write transactions committed since start, and the COMMITs that carried them (fewer on
  // SQLite, whose group commit carries many writers in one; equal on PostgreSQL).
  uint64_t write_transactions_total = 0;
  uint64_t commits_total = 0;
};

// One durable queue at one moment. A value type.
struct DurableQueueStats {
  std::string name;        // "mail", "events", "advance"
  int64_t depth = 0;       // items not yet done (due now or later)
  int64_t oldest_age = 0;  // seconds since the oldest of them was queued (or fell due); 0: none
};

class DatabaseProbe {
 public:
  virtual ~DatabaseProbe() = default;

  // Runs a trivial query on a pooled connection. kUnavailable (or the driver's error) when the
  // database does not answer.
  virtual Status Ping() = 0;
  // OK when every migration built into this binary is recorded as applied; kUnavailable
  // naming the first missing version otherwise; database errors as they come.
  virtual Status CheckMigrations() = 0;
  // The connection pool's counters (no query).
  virtual DatabasePoolStats Pool() const = 0;
  // The mail queue, event deliveries and request jobs (the advancer's), as of `now` (seconds).
  virtual StatusOr<std::vector<DurableQueueStats>> Queues(int64_t now) = 0;
};

}  // namespace countersign
