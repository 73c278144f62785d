// Both backends run the same numbered migrations; this test keeps them in step: after all of
// them, SQLite and PostgreSQL have the same tables, the same columns (name, type, NOT NULL) and
// the same named indexes. (schema_migrations, the runners' own bookkeeping, is left out: its
// version and applied_at are INTEGER in SQLite, where that is 64-bit, and BIGINT in PostgreSQL.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <tuple>

#include "pg_test_support.h"
#include "store/postgres/postgres_connection.h"
#include "store/postgres/postgres_stores.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_stores.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

// table, column, type (lower case), not null
using Column = std::tuple<std::string, std::string, std::string, bool>;

struct Schema {
  std::set<Column> columns;
  std::set<std::string> indexes;  // "table.index"
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

Schema SqliteSchema(const std::string& path) {
  Schema schema;
  auto connection = SqliteConnection::Open(path);
  EXPECT_TRUE(connection.ok());
  if (!connection.ok()) return schema;
  auto tables = (*connection)
                    ->Prepare(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                        "LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name");
  std::vector<std::string> names;
  while (*tables->Step()) names.push_back(tables->Text(0));
  for (const std::string& table : names) {
    // Table names come from sqlite_master, never from input.
    auto info =
        (*connection)
            ->Prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info('" + table + "')");
    while (*info->Step()) {
      // A PRIMARY KEY column is NOT NULL in PostgreSQL (SQLite does not report it so).
      bool not_null = info->Bool(2) || info->Int(3) > 0;
      schema.columns.insert({table, info->Text(0), Lower(info->Text(1)), not_null});
    }
  }
  auto indexes = (*connection)
                     ->Prepare(
                         "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' "
                         "AND name NOT LIKE 'sqlite_autoindex_%'");
  while (*indexes->Step()) schema.indexes.insert(indexes->Text(0) + "." + indexes->Text(1));
  return schema;
}

Schema PostgresSchema(const std::string& url) {
  Schema schema;
  auto connection = PostgresConnection::Open(url);
  EXPECT_TRUE(connection.ok());
  if (!connection.ok()) return schema;
  auto columns = (*connection)
                     ->Prepare(
                         "SELECT table_name, column_name, data_type, is_nullable FROM "
                         "information_schema.columns WHERE table_schema = 'public' AND "
                         "table_name <> 'schema_migrations'");
  while (*columns->Step()) {
    schema.columns.insert(
        {columns->Text(0), columns->Text(1), Lower(columns->Text(2)), columns->Text(3) == "NO"});
  }
  auto indexes = (*connection)
                     ->Prepare(
                         "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = "
                         "'public' AND indexname NOT LIKE '%_pkey' AND tablename <> "
                         "'schema_migrations'");
  while (*indexes->Step()) schema.indexes.insert(indexes->Text(0) + "." + indexes->Text(1));
  return schema;
}

TEST(SchemaInStepTest, BothBackendsEndWithTheSameTablesColumnsAndIndexes) {
  CS_REQUIRE_PG();
  ScratchDir dir;
  const std::string path = dir.path() + "/cs.db";
  { ASSERT_TRUE(OpenSqliteStores(path, 1).ok()); }
  PgTestDatabase database("schema_in_step");
  ASSERT_TRUE(database.status().ok()) << database.status().ToString();
  { ASSERT_TRUE(OpenPostgresStores(database.url(), 1).ok()); }

  Schema sqlite = SqliteSchema(path);
  Schema postgres = PostgresSchema(database.url());
  ASSERT_FALSE(sqlite.columns.empty());
  for (const Column& c : sqlite.columns) {
    EXPECT_TRUE(postgres.columns.count(c))
        << "PostgreSQL lacks or differs on " << std::get<0>(c) << "." << std::get<1>(c) << " "
        << std::get<2>(c) << (std::get<3>(c) ? " NOT NULL" : "");
  }
  for (const Column& c : postgres.columns) {
    EXPECT_TRUE(sqlite.columns.count(c))
        << "SQLite lacks or differs on " << std::get<0>(c) << "." << std::get<1>(c) << " "
        << std::get<2>(c) << (std::get<3>(c) ? " NOT NULL" : "");
  }
  EXPECT_EQ(sqlite.indexes, postgres.indexes);
}

}  // namespace
}  // namespace countersign::testing_store
