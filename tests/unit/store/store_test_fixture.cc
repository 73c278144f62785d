#include "store_test_fixture.h"

#include <stdlib.h>

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>

#include "pg_test_support.h"
#include "store/postgres/postgres_stores.h"
#include "store/sql/sql_migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign::testing_store {

namespace {

// The PostgreSQL test databases of the running tests, by scratch directory.
std::mutex pg_mu;
std::map<std::string, std::unique_ptr<PgTestDatabase>>& PgDatabases() {
  static auto* databases = new std::map<std::string, std::unique_ptr<PgTestDatabase>>();
  return *databases;
}

StatusOr<Stores> OpenPostgresForTest(const std::string& dir) {
  auto database = std::make_unique<PgTestDatabase>(dir);
  if (!database->status().ok()) return database->status();
  std::string url = database->url();
  {
    std::lock_guard<std::mutex> lock(pg_mu);
    PgDatabases()[dir] = std::move(database);
  }
  return OpenPostgresStores(url, 4);
}

void DropPostgresForTest(const std::string& dir) {
  std::lock_guard<std::mutex> lock(pg_mu);
  PgDatabases().erase(dir);
}

}  // namespace

std::vector<StoreBackend> StoreBackends() {
  return {
      {"SqliteMemory", [](const std::string&) { return OpenSqliteStores(":memory:", 4); }, {}},
      {"SqliteFile",
       [](const std::string& dir) { return OpenSqliteStores(dir + "/countersign.db", 3); },
       {}},
      {"Postgres", OpenPostgresForTest, DropPostgresForTest, /*needs_postgres=*/true},
  };
}

std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cs_store_test_XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) std::abort();
  path_ = made;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void StoreTest::SetUp() {
  if (GetParam().needs_postgres) CS_REQUIRE_PG();
  StatusOr<Stores> opened = GetParam().open(scratch_.path());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  stores_ = std::move(opened).value();
}

void StoreTest::TearDown() {
  stores_ = Stores();  // close before the scratch dir (or database) goes
  if (GetParam().close) GetParam().close(scratch_.path());
}

Account TestAccount(int n) {
  std::string s = std::to_string(n);
  Account account;
  account.id = std::string(39, 'a') + s;
  account.email = "user" + s + "@example.com";
  account.password_hash = "$argon2id$v=19$hash" + s;
  account.api_key_hash = "apikeyhash" + s;
  account.api_key_hint = "k" + s;
  account.callback_url = "https://example.com/cb" + s;
  account.locale = "fr-FR";
  account.is_locked = false;
  account.email_confirmed = true;
  account.created_at = 1000 + n;
  return account;
}

ApiApp TestApp(int n, const std::string& owner_account_id, int64_t created_at) {
  std::string s = std::to_string(n);
  ApiApp app;
  app.client_id = "client" + s;
  app.owner_account_id = owner_account_id;
  app.name = "App " + s;
  app.domains = {"example.com", "app" + s + ".example.org"};
  app.callback_url = "https://example.com/events" + s;
  app.has_oauth = true;
  app.oauth_callback_url = "https://example.com/oauth" + s;
  app.scopes = {"basic_account_info", "request_signature"};
  app.secret_hash = "secrethash" + s;
  app.is_approved = true;
  app.can_insert_everywhere = true;
  app.white_labeling_json = R"({"primary_button_color":"#00b3e6"})";
  app.refresh_requires_client_credentials = true;
  app.require_pkce = true;
  app.created_at = created_at;
  return app;
}

void ExpectSameApp(const ApiApp& a, const ApiApp& b) {
  EXPECT_EQ(a.client_id, b.client_id);
  EXPECT_EQ(a.owner_account_id, b.owner_account_id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.domains, b.domains);
  EXPECT_EQ(a.callback_url, b.callback_url);
  EXPECT_EQ(a.has_oauth, b.has_oauth);
  EXPECT_EQ(a.oauth_callback_url, b.oauth_callback_url);
  EXPECT_EQ(a.scopes, b.scopes);
  EXPECT_EQ(a.secret_hash, b.secret_hash);
  EXPECT_EQ(a.is_approved, b.is_approved);
  EXPECT_EQ(a.can_insert_everywhere, b.can_insert_everywhere);
  EXPECT_EQ(a.white_labeling_json, b.white_labeling_json);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.refresh_requires_client_credentials, b.refresh_requires_client_credentials);
  EXPECT_EQ(a.require_pkce, b.require_pkce);
}

Grant TestGrant(const std::string& id, const std::string& account_id, const std::string& client_id,
                int64_t created_at) {
  Grant grant;
  grant.id = id;
  grant.account_id = account_id;
  grant.client_id = client_id;
  grant.scopes = {"basic_account_info", "signature_request_access"};
  grant.redirect_uri = "https://example.com/oauth-" + client_id;
  grant.created_at = created_at;
  return grant;
}

AuthCode TestCode(const std::string& code_hash) {
  AuthCode code;
  code.code_hash = code_hash;
  code.client_id = "client1";
  code.account_id = "account1";
  code.redirect_uri = "https://example.com/oauth1";
  code.state = "xyz";
  code.scopes = {"basic_account_info"};
  code.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  code.expires_at = 1600;
  return code;
}

TokenPairHashes TestPair(const std::string& prefix, int64_t access_expires_at) {
  return {prefix + "-access", access_expires_at, prefix + "-refresh"};
}

Status RotateRefreshAndWait(OAuthStore& store, const std::string& old_refresh_hash, int64_t now,
                            const TokenPairHashes& next) {
  std::promise<Status> rotated;
  store.RotateRefreshAsync(old_refresh_hash, now, next,
                           [&rotated](Status status) { rotated.set_value(std::move(status)); });
  return rotated.get_future().get();
}

Status MakeSqliteDatabaseBefore(const std::string& path, const std::string& first_missing,
                                const std::string& sql) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection, SqliteConnection::Open(path));
  std::vector<EmbeddedFile> before;
  for (const EmbeddedFile& file : sql_migrations::Files()) {
    if (std::string(file.name) < first_missing) before.push_back(file);
  }
  if (before.empty()) return InvalidArgument("no migration comes before " + first_missing);
  CS_RETURN_IF_ERROR(ApplySqliteMigrations(*connection, before));
  return connection->Exec(sql);
}

}  // namespace countersign::testing_store
