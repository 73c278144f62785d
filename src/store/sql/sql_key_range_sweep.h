// SweepKeyRanges: deletes the rows of a table that match a condition, one key range at a time,
// so that no single write transaction scans or deletes more than a bounded number of rows
// (SQLite has one writer: a long delete would hold every other write behind it).
//
// Each step reads the next `chunk_rows` keys after the last range in key order (a read
// transaction, which writers do not wait for), then deletes, in one write transaction, the
// rows of that key range that still match `condition` (checked again there, so a row changed
// between the read and the delete is judged as it is then). The walk ends at the largest key
// the table had when it began: rows inserted after it began are left for the next sweep, also
// when their keys come after every key there was (as OAuth token keys do, in issue order), so a
// busy table cannot keep a sweep going.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "store/sql/sql_database.h"
#include "store/sql/sql_statement.h"

namespace countersign {

struct KeyRangeSweep {
  std::string table;      // its rows are named `t` in `condition`
  std::string key;        // a unique, non-null text column with an index (the primary key)
  std::string condition;  // SQL over `t`; its parameters are numbered from ?3 on
  std::function<void(SqlStatement&)> bind;  // binds the condition's parameters
  int chunk_rows = 250;                     // keys per range; at least 1
};

// Returns how many rows were deleted.
StatusOr<int> SweepKeyRanges(SqlDatabase& db, const KeyRangeSweep& sweep);

}  // namespace countersign
