#include "app/database_readiness.h"

#include <utility>

namespace countersign {

DatabaseReadiness::DatabaseReadiness(DatabaseProbe& probe, std::chrono::milliseconds timeout)
    : probe_(probe), timeout_(timeout) {}

DatabaseReadiness::~DatabaseReadiness() {
  if (thread_.joinable()) thread_.join();
}

std::string DatabaseReadiness::Failing() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!running_) {
    // The last check has finished its work under mu_, so this join does not wait for long.
    if (thread_.joinable()) thread_.join();
    running_ = true;
    thread_ = std::thread([this] { Run(); });
  }
  const uint64_t awaited = checks_ + 1;
  if (!finished_.wait_for(lock, timeout_, [&] { return checks_ >= awaited; })) {
    return "database";  // still no answer
  }
  return result_;
}

void DatabaseReadiness::Run() {
  std::string failing;
  if (!probe_.Ping().ok()) {
    failing = "database";
  } else if (!probe_.CheckMigrations().ok()) {
    failing = "migrations";
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    result_ = std::move(failing);
    ++checks_;
    running_ = false;
  }
  finished_.notify_all();
}

}  // namespace countersign
