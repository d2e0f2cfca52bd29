// Incremental fetch sessions (KIP-227), as the Java consumer uses them: a
// full fetch with epoch 0 opens a session; later requests name only the
// partitions that changed and get back only partitions with news.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/protocol/generated/error_code.h"
#include "common/protocol/strong_types.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::fetch {

struct SessionPartition {
  protocol::TopicName topic;  // by name before Fetch v13
  wire::Uuid topic_id;   // by id from v13
  int32_t partition = 0;
  int64_t fetch_offset = 0;
  int32_t max_bytes = 0;
  int32_t current_leader_epoch = -1;  // the client's, checked at every read (KIP-320)
  // What the client was last told, to decide what is news.
  int64_t high_watermark = -2;
  int64_t log_start_offset = -2;
  int64_t last_stable_offset = -2;
  protocol::ErrorCode error_code = protocol::ErrorCode::None;

  bool same_partition(const SessionPartition& other) const {
    return partition == other.partition && topic == other.topic && topic_id == other.topic_id;
  }
};

struct FetchSession {
  int32_t id = 0;
  int32_t next_epoch = 1;
  std::vector<SessionPartition> partitions;  // in the order they were added, as Kafka keeps them
};

class FetchSessionCache {
 public:
  // Kafka's max.incremental.fetch.session.cache.slots default.
  explicit FetchSessionCache(size_t slots = 1000) : slots_(slots) {}

  FetchSession& open();
  FetchSession* find(int32_t id);
  void close(int32_t id);
  size_t size() const { return sessions_.size(); }

 private:
  size_t slots_;
  std::map<int32_t, FetchSession> sessions_;
  std::deque<int32_t> order_;  // oldest first, for eviction
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace kafkalite::fetch
