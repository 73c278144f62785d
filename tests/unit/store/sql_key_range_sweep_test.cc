// SweepKeyRanges (store/sql/sql_key_range_sweep.h) on SQLite: what it removes, and that rows
// inserted while it walks are left for the next sweep even when their keys come last.
#include "store/sql/sql_key_range_sweep.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"

namespace countersign {
namespace {

const std::vector<EmbeddedFile> kMigrations = {
    {"0001_rows.sql", "CREATE TABLE rows (k TEXT PRIMARY KEY, stale INTEGER NOT NULL);"}};

Status Insert(SqlDatabase& db, const std::string& key, bool stale) {
  return db.Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(auto insert, connection.Prepare("INSERT INTO rows VALUES (?1, ?2)"));
    insert.Bind(1, key).Bind(2, stale);
    return insert.Run();
  });
}

StatusOr<std::vector<std::string>> Keys(SqlDatabase& db) {
  return db.Read([&](SqlConnection& connection) -> StatusOr<std::vector<std::string>> {
    CS_ASSIGN_OR_RETURN(auto select, connection.Prepare("SELECT k FROM rows ORDER BY k"));
    std::vector<std::string> keys;
    while (true) {
      CS_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return keys;
      keys.push_back(select.Text(0));
    }
  });
}

// The database as the sweep sees it, with a writer that adds a stale row with a key after every
// key so far before each of the sweep's reads but its first, as rows of a busy table arrive.
class BusyTable final : public SqlDatabase {
 public:
  explicit BusyTable(SqlDatabase& inner) : inner_(inner) {}
  DatabasePoolStats PoolStats() const override { return inner_.PoolStats(); }
  int added() const { return added_; }

 protected:
  Status RunRead(const Body& body) override {
    if (reads_++ > 0) {
      CS_RETURN_IF_ERROR(Insert(inner_, "z" + std::to_string(1000 + added_), true));
      ++added_;
    }
    return inner_.Read([&](SqlConnection& connection) { return body(connection); });
  }
  Status RunWrite(const Body& body) override {
    return inner_.Write([&](SqlConnection& connection) { return body(connection); });
  }

 private:
  SqlDatabase& inner_;
  int reads_ = 0;
  int added_ = 0;
};

KeyRangeSweep StaleRows(int chunk_rows) {
  KeyRangeSweep sweep;
  sweep.table = "rows";
  sweep.key = "k";
  sweep.condition = "t.stale = ?3";
  sweep.bind = [](SqlStatement& statement) { statement.Bind(3, true); };
  sweep.chunk_rows = chunk_rows;
  return sweep;
}

class KeyRangeSweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteDb::Open(":memory:", 2, kMigrations);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
  }
  std::unique_ptr<SqliteDb> db_;
};

TEST_F(KeyRangeSweepTest, RemovesTheMatchingRowsOfEveryRangeAndNothingElse) {
  EXPECT_EQ(*SweepKeyRanges(*db_, StaleRows(2)), 0);  // an empty table
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(Insert(*db_, "k" + std::to_string(i), i % 2 == 0).ok());
  }
  StatusOr<int> removed = SweepKeyRanges(*db_, StaleRows(2));
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 4);
  EXPECT_EQ(*Keys(*db_), (std::vector<std::string>{"k1", "k3", "k5"}));
  EXPECT_EQ(*SweepKeyRanges(*db_, StaleRows(2)), 0);
}

TEST_F(KeyRangeSweepTest, RowsAddedAfterTheLastKeyWhileItWalksAreLeftForTheNextSweep) {
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(Insert(*db_, "k" + std::to_string(i), true).ok());
  BusyTable busy(*db_);
  StatusOr<int> removed = SweepKeyRanges(busy, StaleRows(2));
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 6);  // the six rows there were, in ranges of two
  ASSERT_GT(busy.added(), 0);
  StatusOr<std::vector<std::string>> left = Keys(*db_);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->size(), static_cast<size_t>(busy.added()));
  for (const std::string& key : *left) EXPECT_EQ(key[0], 'z') << key;
}

}  // namespace
}  // namespace countersign
