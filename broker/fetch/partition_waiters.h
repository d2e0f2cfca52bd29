// Fetches waiting for data (long polls) park a timer here under each
// partition they read; an append to a partition wakes only the fetches that
// wait on it, as Kafka's delayed fetches are keyed by partition.
#pragma once

#include "common/net/asio.h"
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "common/protocol/wire/types.h"

namespace kafkalite::fetch {

struct PartitionKey {
  wire::Uuid topic_id;
  int32_t partition = 0;
  auto operator<=>(const PartitionKey&) const = default;
};

class PartitionWaiters {
 public:
  using Timer = boost::asio::steady_timer;

  // Parks `timer` under each partition until remove().
  void add(Timer* timer, const std::vector<PartitionKey>& partitions) {
    for (const auto& p : partitions) waiting_[p].insert(timer);
    keys_[timer] = partitions;
  }
  void remove(Timer* timer) {
    auto it = keys_.find(timer);
    if (it == keys_.end()) return;
    for (const auto& p : it->second) {
      auto w = waiting_.find(p);
      if (w == waiting_.end()) continue;
      w->second.erase(timer);
      if (w->second.empty()) waiting_.erase(w);
    }
    keys_.erase(it);
  }
  // Wakes the fetches waiting on this partition.
  void notify(const PartitionKey& partition) {
    auto w = waiting_.find(partition);
    if (w == waiting_.end()) return;
    for (auto* timer : w->second) timer->cancel();
  }
  // Wakes every waiting fetch (shutdown).
  void notify_all() {
    for (auto& [timer, partitions] : keys_) timer->cancel();
  }
  size_t waiting() const { return keys_.size(); }

 private:
  std::map<PartitionKey, std::set<Timer*>> waiting_;
  std::map<Timer*, std::vector<PartitionKey>> keys_;
};

}  // namespace kafkalite::fetch
