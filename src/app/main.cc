// countersign: the server binary and the operator CLI (docs/web-contract.md, "CLI").
//   countersign serve [--port N] [--bind ADDR] [--data-dir DIR] [--base-url URL] [--threads N]
//   countersign account create --email E --password P [--data-dir DIR]
//   countersign app approve|unapprove CLIENT_ID [--data-dir DIR]
//   countersign backup --to FILE | restore --from FILE [--force]   (app/backup_command.h)
//   countersign serve --config FILE; COUNTERSIGN_* environment variables (app/config_file.h)
// Every command also takes --database URL, --files-dir DIR and --secret-key-file PATH
// (app/storage_config.h): several instances share a PostgreSQL database, files and key.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/allocator.h"
#include "app/application.h"
#include "app/backup_command.h"
#include "app/config_file.h"
#include "app/ops_flags.h"
#include "core/log.h"
#include "http/server.h"
#include "store/postgres/postgres_stores.h"

namespace countersign {
namespace {

int Fail(const Status& st) {
  std::cerr << "countersign: " << (st.path().empty() ? "" : st.path() + ": ") << st.message()
            << std::endl;
  return 1;
}

int Serve(const Config& config) {
  StatusOr<http::TrustedProxies> proxies = http::TrustedProxies::Parse(config.trusted_proxies);
  if (!proxies.ok()) return Fail(proxies.status());
  auto app = Application::Open(config);
  if (!app.ok()) return Fail(app.status());
  std::string base_url = config.base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  http::ServerOptions options;
  options.bind_address = config.bind_address;
  options.port = config.port;
  // Room for several documents of the largest size in one send.
  options.max_body_bytes =
      std::max<size_t>(64u << 20, (config.max_file_mb << 20) * 4 + (16u << 20));
  // Large uploads are written here as they arrive (one folder per instance).
  options.upload_spill_dir = (std::filesystem::path(config.data_dir) / "uploads").string();
  ConfigureAllocator(options.upload_spill_min_bytes);
  log::Info("app", "starting", {{"allocator", AllocatorName()}});
  const int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  if (IsPostgresUrl(config.database)) {
    // Every query holds its thread for a network round trip: one loop of many threads, any idle
    // one taking the next request.
    options.threads = config.threads > 0 ? config.threads : std::max(32, 2 * cores);
    options.loops = 1;
  } else {
    // SQLite reads are local calls and the busy writes (the refresh grant) answer from the group
    // commit without holding a thread: two threads per core, each its own loop, so a request
    // never wakes another thread. A write that does wait for its commit holds only its loop.
    options.threads = config.threads > 0 ? config.threads : 2 * cores;
    options.loops = options.threads;
  }
  options.compute_threads = config.compute_threads > 0 ? config.compute_threads : cores;
  options.compute_queue = static_cast<size_t>(std::max(0, config.compute_queue));
  options.fetch_threads = std::max(1, config.fetch_threads);
  options.fetch_queue = static_cast<size_t>(std::max(0, config.fetch_queue));
  options.shutdown_grace = std::chrono::seconds(config.shutdown_grace_seconds);
  options.observer = &(*app)->server_observer();
  options.trusted_proxies = std::move(proxies).value();
  const bool derive_url = base_url.empty();
  if (derive_url && config.port != 0) {
    base_url = "http://" + config.bind_address + ":" + std::to_string(config.port);
  }
  auto router = (*app)->BuildRouter(base_url);
  if (!router.ok()) return Fail(router.status());
  (*app)->StartWorkers();
  Status st = http::RunHttpServer(options, **router, [&](uint16_t port) {
    std::string url =
        derive_url ? "http://" + config.bind_address + ":" + std::to_string(port) : base_url;
    (*app)->SetPublicUrl(url);
    std::cout << "Countersign listening on " << url << std::endl;
  });
  (*app)->StopWorkers();
  log::Info("app", "stopped");
  log::Flush();
  if (!st.ok()) return Fail(st);
  return 0;
}

}  // namespace
}  // namespace countersign

int main(int argc, char** argv) {
  using countersign::Config;
  Config config;
  CLI::App cli{"Countersign: a self-hosted e-signature server compatible with Dropbox Sign"};
  cli.require_subcommand(1);
  auto add_common = [&config](CLI::App* cmd) {
    cmd->add_option("--data-dir", config.data_dir, "Data folder (SQLite database)");
    cmd->add_option("--database", config.database,
                    "postgres://user@host:port/db for PostgreSQL (several instances); default: "
                    "SQLite in the data folder")
        ->envname("COUNTERSIGN_DATABASE");
    cmd->add_option("--files-dir", config.files_dir,
                    "Folder of uploaded and produced files, shared by every instance "
                    "(default: <data-dir>/files)");
    cmd->add_option(
        "--secret-key-file", config.secret_key_file,
        "Server key file, the same for every instance (default: <data-dir>/secret.key)");
    cmd->add_flag("--fast-password-hashing", config.fast_password_hashing,
                  "Minimum password hashing cost (tests only)");
  };

  auto* serve = cli.add_subcommand("serve", "Run the HTTP server");
  add_common(serve);
  countersign::AddOpsFlags(*serve, config);
  serve->add_option("--port", config.port, "TCP port (0: any free port)");
  serve->add_option("--bind", config.bind_address, "Address to listen on");
  serve->add_option("--base-url", config.base_url, "Public base URL used in links");
  serve->add_option("--max-file-mb", config.max_file_mb, "Largest document accepted, in MB")
      ->check(CLI::Range(1, 1024));
  serve->add_flag("--allow-private-file-urls", config.allow_private_file_urls,
                  "Let file_urls point at loopback and private addresses (tests, intranets)");
  serve->add_option("--mail-from", config.mail_from, "Sender address of emails");
  serve->add_option(
      "--smtp-host", config.smtp_host,
      "Send mail through this SMTP server (default: .eml files in <data-dir>/outbox)");
  serve->add_option("--smtp-port", config.smtp_port, "SMTP port (default 587)")
      ->check(CLI::Range(1, 65535));
  serve->add_option("--smtp-security", config.smtp_security, "none, starttls (default) or tls")
      ->check(CLI::IsMember({"none", "starttls", "tls"}));
  serve->add_option("--smtp-user", config.smtp_user, "SMTP user name (default: no AUTH)");
  serve->add_option("--smtp-password", config.smtp_password, "SMTP password")
      ->envname("COUNTERSIGN_SMTP_PASSWORD");
  serve
      ->add_option("--mail-retry-seconds", config.mail_retry_seconds,
                   "Delay before retrying a failed mail; doubles each time, up to an hour")
      ->check(CLI::Range(1, 3600));
  serve
      ->add_option("--confirmation-link-ttl-seconds", config.confirmation_link_ttl_seconds,
                   "How long an emailed confirmation link works (default 7 days)")
      ->check(CLI::Range(int64_t{1}, int64_t{90} * 24 * 3600));
  serve
      ->add_option("--confirmation-resend-seconds", config.confirmation_resend_seconds,
                   "At most one new confirmation link per unconfirmed account this often "
                   "(resend, or a new sign-up with its address; default 60)")
      ->check(CLI::Range(int64_t{0}, int64_t{24} * 3600));
  serve->add_flag("--allow-private-callbacks", config.allow_private_callbacks,
                  "Let event callback URLs point at loopback and private addresses (tests)");
  serve->add_option("--event-retry-schedule", config.event_retry_schedule,
                    "Seconds after the first try of each retry of a failed event callback");
  serve
      ->add_option("--event-timeout-seconds", config.event_timeout_seconds,
                   "Timeout of one event callback try")
      ->check(CLI::Range(1, 300));
  serve
      ->add_option("--compute-threads", config.compute_threads,
                   "Threads for password hashing, page rendering and PDF work (default: one per "
                   "CPU core)")
      ->check(CLI::Range(0, 256));
  serve
      ->add_option("--compute-queue", config.compute_queue,
                   "Such requests waiting beyond the busy threads; more are answered 503")
      ->check(CLI::Range(0, 100000));
  serve
      ->add_option("--fetch-threads", config.fetch_threads,
                   "Threads for sends that download file_urls (default 16)")
      ->check(CLI::Range(1, 1024));
  serve
      ->add_option("--fetch-queue", config.fetch_queue,
                   "Sends waiting beyond the busy fetch threads; more are answered 503")
      ->check(CLI::Range(0, 100000));
  serve
      ->add_option("--threads", config.threads,
                   "HTTP threads (default: two per CPU core, each its own event loop; with "
                   "PostgreSQL, one loop of two per core, at least 32)")
      ->check(CLI::Range(1, 256));
  serve->add_option("--database-pool", config.database_pool, "Database connections per instance")
      ->check(CLI::Range(1, 256));
  const auto kCount = CLI::Range(int64_t{0}, int64_t{1} << 40);
  serve
      ->add_option("--rate-limit-standard", config.rate_limit_standard,
                   "API requests per window and account (and app) on standard endpoints "
                   "(default 100; 0: unlimited)")
      ->check(kCount);
  serve
      ->add_option("--rate-limit-high", config.rate_limit_high,
                   "API requests per window and account (and app) on high-tier endpoints: "
                   "send, files (default 25; 0: unlimited)")
      ->check(kCount);
  serve
      ->add_option("--rate-limit-test-mode", config.rate_limit_test_mode,
                   "API requests per window and account (and app) made with test_mode=1, "
                   "counted apart from the other tiers (default 10; 0: unlimited)")
      ->check(kCount);
  serve
      ->add_option("--rate-limit-window-seconds", config.rate_limit_window_seconds,
                   "Length of the API rate-limit window (default 60)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  serve
      ->add_option("--login-max-failures", config.login_max_failures_per_email,
                   "Failed log-ins per email address before log-in waits for the window to end "
                   "(default 10; 0: unlimited)")
      ->check(kCount);
  serve
      ->add_option("--login-max-failures-per-ip", config.login_max_failures_per_ip,
                   "Failed log-ins per client IP before log-in waits (default 100; 0: unlimited)")
      ->check(kCount);
  serve->add_option("--trusted-proxies", config.trusted_proxies,
                    "Reverse proxies (comma-separated IPs or CIDR ranges, e.g. 127.0.0.1) whose "
                    "X-Forwarded-For header names the client: for the per-IP log-in limit and "
                    "audit trails (default: none, the header is ignored)");
  serve
      ->add_option("--login-failure-window-seconds", config.login_failure_window_seconds,
                   "Window in which failed log-ins are counted (default 900)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  countersign::AddServeConfigSources(cli, *serve);

  auto* account = cli.add_subcommand("account", "Manage accounts");
  account->require_subcommand(1);
  auto* account_create = account->add_subcommand("create", "Create an account");
  add_common(account_create);
  std::string email, password;
  account_create->add_option("--email", email, "Email address")->required();
  account_create
      ->add_option("--password", password, "Password (10 characters or more, not a common one)")
      ->required();
  bool make_operator = false;
  account_create->add_flag("--admin", make_operator,
                           "Make the account an operator (approves apps, locks accounts)");
  auto* account_admin =
      account->add_subcommand("admin", "Make an account an operator, or (--revoke) no longer one");
  add_common(account_admin);
  std::string admin_email;
  bool revoke_operator = false;
  account_admin->add_option("email", admin_email, "The account's email address")->required();
  account_admin->add_flag("--revoke", revoke_operator, "Take the operator role away");

  auto* app_cmd = cli.add_subcommand("app", "Manage API apps");
  app_cmd->require_subcommand(1);
  std::string client_id;
  auto* approve = app_cmd->add_subcommand("approve", "Approve an app for production");
  auto* unapprove = app_cmd->add_subcommand("unapprove", "Withdraw production approval");
  for (auto* cmd : {approve, unapprove}) {
    add_common(cmd);
    cmd->add_option("client_id", client_id, "The app's client_id")->required();
  }

  auto backup_commands = countersign::AddBackupCommands(cli, add_common);

  CLI11_PARSE(cli, argc, argv);

  if (countersign::ConfigGivenOutsideServe(cli, *serve)) {
    std::cerr << "countersign: --config applies to serve only" << std::endl;
    return 1;
  }
  if (serve->parsed()) return countersign::Serve(config);
  if (auto code = countersign::RunBackupCommands(*backup_commands, config)) return *code;

  auto app = countersign::Application::Open(config);
  if (!app.ok()) return countersign::Fail(app.status());
  if (account_create->parsed()) {
    auto created = (*app)->accounts().Create(email, password);
    if (!created.ok()) return countersign::Fail(created.status());
    if (make_operator) {
      countersign::Status st = (*app)->operators().SetOperator(created->account.email, true);
      if (!st.ok()) return countersign::Fail(st);
    }
    std::cout << nlohmann::json{{"account_id", created->account.id},
                                {"email_address", created->account.email},
                                {"api_key", created->api_key}}
                     .dump()
              << std::endl;
    return 0;
  }
  if (account_admin->parsed()) {
    countersign::Status st = (*app)->operators().SetOperator(admin_email, !revoke_operator);
    if (!st.ok()) return countersign::Fail(st);
    std::cout << (revoke_operator ? "no longer an operator: " : "operator: ") << admin_email
              << std::endl;
    return 0;
  }
  bool approving = approve->parsed();
  countersign::Status st = (*app)->apps().Approve(client_id, approving);
  if (!st.ok()) return countersign::Fail(st);
  std::cout << (approving ? "approved " : "unapproved ") << client_id << std::endl;
  return 0;
}
