#include "pg_test_support.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "store/postgres/postgres_connection.h"

namespace countersign::testing_store {

std::string PgTestUrl() {
  const char* url = std::getenv("COUNTERSIGN_TEST_PG_URL");
  return url != nullptr ? url : "";
}

bool PgRequired() {
  const char* ci = std::getenv("CI");
  const char* required = std::getenv("COUNTERSIGN_TEST_REQUIRE_PG");
  return (ci != nullptr && std::string(ci) == "true") ||
         (required != nullptr && std::string(required) == "1");
}

std::string PgMissingMessage() {
  return "COUNTERSIGN_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts "
         "a PostgreSQL server (scripts/lib/pg.sh)";
}

std::string PgUrlWithDatabase(const std::string& url, const std::string& dbname) {
  size_t scheme = url.find("://");
  size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) {
    size_t query = url.find('?');
    if (query == std::string::npos) return url + "/" + dbname;
    return url.substr(0, query) + "/" + dbname + url.substr(query);
  }
  size_t query = url.find('?', path);
  return url.substr(0, path + 1) + dbname + (query == std::string::npos ? "" : url.substr(query));
}

Status PgAdminExec(const std::string& sql) {
  // The maintenance database: commands on it do not depend on the test databases.
  CS_ASSIGN_OR_RETURN(auto connection,
                      PostgresConnection::Open(PgUrlWithDatabase(PgTestUrl(), "postgres")));
  return connection->Exec(sql);
}

PgTestDatabase::PgTestDatabase(const std::string& name_seed) {
  if (PgTestUrl().empty()) {
    status_ = Status(Code::kUnavailable, PgMissingMessage());
    return;
  }
  std::ostringstream name;
  static std::atomic<int> counter{0};
  name << "cs_test_" << getpid() << "_" << ++counter << "_" << std::hex
       << (std::hash<std::string>()(name_seed) & 0xffffffffu);
  name_ = name.str();
  status_ = PgAdminExec("CREATE DATABASE " + name_);
  url_ = PgUrlWithDatabase(PgTestUrl(), name_);
}

PgTestDatabase::~PgTestDatabase() {
  if (status_.ok()) (void)PgAdminExec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
}

}  // namespace countersign::testing_store
