// Config: everything an operator can set, from the command line (app/main.cc).
// A value type.
#pragma once

#include <cstdint>
#include <string>

namespace countersign {

struct Config {
  std::string data_dir = "./data";  // holds countersign.db (SQLite, WAL)
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;                  // 0: any free port
  std::string base_url;                  // public URL; default http://<bind>:<port>
  int threads = 0;                       // 0: two per CPU core (blocking database calls overlap)
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
};

}  // namespace countersign
