// Config: everything an operator can set, from the command line (app/main.cc).
// A value type.
#pragma once

#include <cstdint>
#include <string>

namespace countersign {

struct Config {
  std::string data_dir = "./data";  // holds countersign.db (SQLite, WAL)
  // Shared state for several instances (app/storage_config.h). database: "" for SQLite in
  // data_dir, a file path, or postgres://user:password@host:port/db.
  std::string database;
  int database_pool = 8;        // connections per instance
  std::string files_dir;        // uploaded and produced files; "" = <data_dir>/files
  std::string secret_key_file;  // the server key (core/secret_box.h); "" = <data_dir>/secret.key
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port
  std::string base_url;  // public URL; default http://<bind>:<port>
  int threads = 0;       // 0: two per CPU core (PostgreSQL: at least 32); see main.cc
  // Bounded queues for slow work kept off the HTTP threads (http/router.h Lane): hashing,
  // rendering and PDF work (compute), and sends that fetch file_urls (fetch).
  int compute_threads = 0;  // 0: one per CPU core
  int compute_queue = 64;   // waiting requests beyond the busy threads; more get 503
  int fetch_threads = 16;
  int fetch_queue = 64;
  bool fast_password_hashing = false;    // tests only: minimum argon2id cost
  int64_t max_file_mb = 40;              // per uploaded or fetched document
  bool allow_private_file_urls = false;  // let file_urls reach loopback/private addresses
  bool allow_private_callbacks = false;  // let callback URLs reach loopback/private addresses
  std::string event_retry_schedule = "300,900,2700,8100,24300,72900";  // s after the first try
  int event_timeout_seconds = 30;
  std::string mail_from = "countersign@localhost";  // sender address of every email
  std::string mail_from_name = "Countersign";
  // SMTP delivery (docs/account-creation.md); with no host, mail goes to <data_dir>/outbox.
  std::string smtp_host;
  int smtp_port = 587;
  std::string smtp_security = "starttls";  // none | starttls | tls
  std::string smtp_user;
  std::string smtp_password;
  int64_t mail_retry_seconds = 30;  // first retry delay of a failed mail; doubles up to 1 h
  int64_t confirmation_link_ttl_seconds = 7 * 24 * 3600;  // life of an emailed confirmation link
  int64_t confirmation_resend_seconds = 60;  // at most one new link per account this often
  // API rate limits per account (and per app for OAuth calls) and window (api/rate_limits.h);
  // defaults are Dropbox Sign's documented 100, 25 and (test mode) 10 requests per minute.
  // 0: unlimited.
  int64_t rate_limit_standard = 100;
  int64_t rate_limit_high = 25;
  int64_t rate_limit_test_mode = 10;
  int64_t rate_limit_window_seconds = 60;
  // Failed log-ins before log-in is refused until the window ends (service/login_throttle.h).
  int64_t login_max_failures_per_email = 10;
  int64_t login_max_failures_per_ip = 100;
  std::string trusted_proxies;  // comma-separated IPs/CIDRs whose X-Forwarded-For is believed
  int64_t login_failure_window_seconds = 900;

  // Operations (app/ops_flags.h): GET /metrics is served only when enabled, and with a token
  // only to `Authorization: Bearer <token>`; a graceful stop waits at most this long.
  bool metrics_enabled = false;
  std::string metrics_token;
  int shutdown_grace_seconds = 20;
};

}  // namespace countersign
