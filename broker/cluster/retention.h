// retention.ms and retention.bytes, applied to every partition (the broker
// runs this every log.retention.check.interval.ms).
#pragma once

#include <cstdint>

#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"

namespace kafkalite::cluster {

// Deletes what retention allows at `now_ms`; logs each partition it trims.
void enforce_retention(TopicRegistry& topics, const config::BrokerConfig& config, int64_t now_ms);

}  // namespace kafkalite::cluster
