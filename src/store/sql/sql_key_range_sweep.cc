#include "store/sql/sql_key_range_sweep.h"

#include <algorithm>
#include <optional>

namespace countersign {

StatusOr<int> SweepKeyRanges(SqlDatabase& db, const KeyRangeSweep& sweep) {
  const int chunk = std::max(1, sweep.chunk_rows);
  const std::string last_key = "SELECT max(t." + sweep.key + ") FROM " + sweep.table + " t";
  const std::string next_keys = "SELECT t." + sweep.key + " FROM " + sweep.table + " t WHERE t." +
                                sweep.key + " > ?1 AND t." + sweep.key + " <= ?3 ORDER BY t." +
                                sweep.key + " LIMIT ?2";
  const std::string delete_range = "DELETE FROM " + sweep.table + " AS t WHERE t." + sweep.key +
                                   " > ?1 AND t." + sweep.key + " <= ?2 AND (" + sweep.condition +
                                   ")";
  CS_ASSIGN_OR_RETURN(
      std::optional<std::string> end,
      db.Read([&](SqlConnection& connection) -> StatusOr<std::optional<std::string>> {
        CS_ASSIGN_OR_RETURN(auto max, connection.Prepare(last_key));
        CS_ASSIGN_OR_RETURN(bool row, max.Step());
        if (!row || max.IsNull(0)) return std::optional<std::string>();
        return std::optional<std::string>(max.Text(0));
      }));
  if (!end) return 0;  // an empty table
  int deleted = 0;
  std::string after;  // every key is greater than ""
  for (;;) {
    // The last key of the next range, and whether the range is the table's last.
    struct Range {
      std::string last;
      bool final = false;
    };
    CS_ASSIGN_OR_RETURN(std::optional<Range> range,
                        db.Read([&](SqlConnection& connection) -> StatusOr<std::optional<Range>> {
                          CS_ASSIGN_OR_RETURN(auto keys, connection.Prepare(next_keys));
                          keys.Bind(1, after).Bind(2, chunk).Bind(3, *end);
                          Range found;
                          int rows = 0;
                          for (;;) {
                            CS_ASSIGN_OR_RETURN(bool row, keys.Step());
                            if (!row) break;
                            found.last = keys.Text(0);
                            ++rows;
                          }
                          if (rows == 0) return std::optional<Range>();
                          found.final = rows < chunk;
                          return std::optional<Range>(std::move(found));
                        }));
    if (!range) return deleted;
    CS_ASSIGN_OR_RETURN(int removed, db.Write([&](SqlConnection& connection) -> StatusOr<int> {
      CS_ASSIGN_OR_RETURN(auto remove, connection.Prepare(delete_range));
      remove.Bind(1, after).Bind(2, range->last);
      sweep.bind(remove);
      CS_RETURN_IF_ERROR(remove.Run());
      return static_cast<int>(connection.Changes());
    }));
    deleted += removed;
    if (range->final) return deleted;
    after = std::move(range->last);
  }
}

}  // namespace countersign
