#include "app/server_state.h"

namespace countersign {

void ServerState::OnQueues(const WorkQueue* compute, const WorkQueue* fetch) {
  std::lock_guard<std::mutex> lock(mu_);
  queues_.clear();
  for (const WorkQueue* queue : {compute, fetch}) {
    if (queue != nullptr) queues_.push_back(queue);
  }
}

std::vector<std::pair<std::string, WorkQueue::Stats>> ServerState::Lanes() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, WorkQueue::Stats>> out;
  for (const WorkQueue* queue : queues_) out.emplace_back(queue->name(), queue->Snapshot());
  return out;
}

}  // namespace countersign
