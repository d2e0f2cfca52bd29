#include "broker/cluster/internal_topics.h"

#include <spdlog/spdlog.h>

#include <map>

#include "broker/cluster/topic_rules.h"
#include "broker/config/topic_config.h"

namespace kafkalite::cluster {

bool is_internal_topic(const std::string& name) {
  return name == kConsumerOffsetsTopic || name == kTransactionStateTopic || name == "__share_group_state";
}

const char* internal_topic_name(InternalTopic which) {
  return which == InternalTopic::kConsumerOffsets ? kConsumerOffsetsTopic : kTransactionStateTopic;
}

std::optional<InternalTopic> internal_topic_named(const std::string& name) {
  if (name == kConsumerOffsetsTopic) return InternalTopic::kConsumerOffsets;
  if (name == kTransactionStateTopic) return InternalTopic::kTransactionState;
  return std::nullopt;
}

int32_t internal_topic_partitions(const config::BrokerConfig& config, InternalTopic which) {
  return static_cast<int32_t>(which == InternalTopic::kConsumerOffsets
                                  ? config.get_int("offsets.topic.num.partitions", 50)
                                  : config.get_int("transaction.state.log.num.partitions", 50));
}

namespace {

// The configs Kafka's coordinators give their topics (GroupCoordinatorService
// and TransactionStateManager); everything else is the broker's default.
std::map<std::string, std::string> internal_configs(const config::BrokerConfig& config, InternalTopic which) {
  if (which == InternalTopic::kConsumerOffsets) {
    return {{"cleanup.policy", "compact"},
            {"compression.type", "producer"},
            {"segment.bytes", std::to_string(config.get_int("offsets.topic.segment.bytes", 104857600))}};
  }
  return {{"cleanup.policy", "compact"},
          {"compression.type", "uncompressed"},
          {"min.insync.replicas", std::to_string(config.get_int("transaction.state.log.min.isr", 2))},
          {"segment.bytes", std::to_string(config.get_int("transaction.state.log.segment.bytes", 104857600))},
          {"unclean.leader.election.enable", "false"}};
}

}  // namespace

Topic* ensure_internal_topic(TopicRegistry& topics, const config::BrokerConfig& config, InternalTopic which,
                             bool* created) {
  if (created) *created = false;
  const std::string name = internal_topic_name(which);
  if (Topic* topic = topics.find(name)) return topic;
  const auto replicas = static_cast<int16_t>(which == InternalTopic::kConsumerOffsets
                                                 ? config.get_int("offsets.topic.replication.factor", 3)
                                                 : config.get_int("transaction.state.log.replication.factor", 3));
  auto result = create_topic(topics, config, name, internal_topic_partitions(config, which), replicas,
                             internal_configs(config, which), false);
  if (!result.topic) {
    spdlog::error("Cannot create the internal topic {}: {}", name, result.message);
    return nullptr;
  }
  if (created) *created = true;
  return result.topic;
}

log::SegmentRules segment_rules(const config::BrokerConfig& config, const Topic& topic) {
  const auto& cfg = topic.effective_config(config);
  return {cfg.segment_bytes, cfg.roll_ms()};
}

}  // namespace kafkalite::cluster
