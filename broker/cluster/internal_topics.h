// Kafka's internal topics: __consumer_offsets (the group coordinator's log)
// and __transaction_state (the transaction coordinator's). Neither exists
// until a client first asks for its coordinator: FindCoordinator then
// creates it, as Kafka's broker has its controller create it, and answers
// COORDINATOR_NOT_AVAILABLE until it is there (kafkalite's is there at
// once, so the next ask finds it). Metadata marks them internal; clients
// may read them but not write to them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"
#include "broker/log/partition_log.h"

namespace kafkalite::cluster {

enum class InternalTopic { kConsumerOffsets, kTransactionState };

constexpr const char* kConsumerOffsetsTopic = "__consumer_offsets";
constexpr const char* kTransactionStateTopic = "__transaction_state";

// Kafka's Topic.isInternal (__share_group_state too, which kafkalite never makes).
bool is_internal_topic(const std::string& name);

const char* internal_topic_name(InternalTopic which);
// Which coordinator's topic `name` is, if it is one kafkalite makes.
std::optional<InternalTopic> internal_topic_named(const std::string& name);
// offsets.topic.num.partitions or transaction.state.log.num.partitions.
int32_t internal_topic_partitions(const config::BrokerConfig& config, InternalTopic which);

// The topic, created with Kafka's configs for it when there is none yet.
// `created` says whether this call made it. Null when it cannot be made
// (its replication factor is more than one node, or the store failed):
// logged, and the coordinator stays unavailable, as Kafka's does.
Topic* ensure_internal_topic(TopicRegistry& topics, const config::BrokerConfig& config, InternalTopic which,
                             bool* created = nullptr);

// How a partition of `topic` rolls its segments (its configs over the broker's).
log::SegmentRules segment_rules(const config::BrokerConfig& config, const Topic& topic);

}  // namespace kafkalite::cluster
