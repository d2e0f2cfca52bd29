// Admin: topics, configs, records and the cluster.
#include "client/admin.h"
#include "client/requests.h"

namespace kafkalite::client {

using namespace protocol;

std::string_view config_source_name(int8_t source) {
  switch (source) {
    case 1: return "DYNAMIC_TOPIC_CONFIG";
    case 2: return "DYNAMIC_BROKER_CONFIG";
    case 3: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case 4: return "STATIC_BROKER_CONFIG";
    case 5: return "DEFAULT_CONFIG";
    case 6: return "DYNAMIC_BROKER_LOGGER_CONFIG";
    case 7: return "CLIENT_METRICS_CONFIG";
    case 8: return "GROUP_CONFIG";
    default: return "UNKNOWN";
  }
}

Result<std::unique_ptr<Admin>> Admin::connect(const ClientConfig& config) {
  auto cluster = Cluster::connect(config);
  if (!cluster) return cluster.error();
  return std::make_unique<Admin>(std::move(*cluster));
}

Result<std::map<std::string, Error>> Admin::create_topics(const std::vector<NewTopic>& topics, bool validate_only) {
  CreateTopicsRequest request;
  request.timeout_ms = static_cast<int32_t>(cluster_->config().request_timeout.count());
  request.validate_only = validate_only;
  for (const auto& t : topics) {
    auto& c = request.topics.emplace_back();
    c.name = TopicName(t.name);
    c.num_partitions = t.partitions;
    c.replication_factor = t.replication_factor;
    for (const auto& [k, v] : t.configs) c.configs.push_back({k, v, {}});
  }
  auto response = cluster_->call<CreateTopicsApi>(request);
  if (!response) return response.error();
  std::map<std::string, Error> out;
  for (const auto& r : response->topics) out[r.name.value()] = Error(r.error_code, r.error_message.value_or(""));
  return out;
}

Result<std::map<std::string, Error>> Admin::delete_topics(const std::vector<std::string>& names) {
  DeleteTopicsRequest request;
  request.timeout_ms = static_cast<int32_t>(cluster_->config().request_timeout.count());
  const bool by_state = cluster_->version<DeleteTopicsApi>() >= 6;
  for (const auto& n : names) {
    if (by_state) {
      request.topics.emplace_back().name = TopicName(n);
    } else {
      request.topic_names.emplace_back(n);
    }
  }
  auto response = cluster_->call<DeleteTopicsApi>(request);
  if (!response) return response.error();
  std::map<std::string, Error> out;
  for (const auto& r : response->responses) {
    out[r.name ? r.name->value() : ""] = Error(r.error_code, r.error_message.value_or(""));
  }
  return out;
}

Result<std::map<std::string, Error>> Admin::create_partitions(const std::map<std::string, int32_t>& counts) {
  CreatePartitionsRequest request;
  request.timeout_ms = static_cast<int32_t>(cluster_->config().request_timeout.count());
  for (const auto& [name, count] : counts) {
    auto& t = request.topics.emplace_back();
    t.name = TopicName(name);
    t.count = count;
    t.assignments.reset();
  }
  auto response = cluster_->call<CreatePartitionsApi>(request);
  if (!response) return response.error();
  std::map<std::string, Error> out;
  for (const auto& r : response->results) out[r.name.value()] = Error(r.error_code, r.error_message.value_or(""));
  return out;
}

Result<std::vector<TopicInfo>> Admin::list_topics(bool include_internal) {
  auto metadata = cluster_->metadata(std::nullopt);
  if (!metadata) return metadata.error();
  std::vector<TopicInfo> out;
  for (auto& t : metadata->topics) {
    if (include_internal || !t.internal) out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<TopicInfo>> Admin::describe_topics(const std::vector<std::string>& names) {
  auto metadata = cluster_->metadata(names);
  if (!metadata) return metadata.error();
  return std::move(metadata->topics);
}

Result<std::vector<ConfigEntry>> Admin::describe_configs(ConfigResourceType type, const std::string& name,
                                                         bool include_synonyms) {
  DescribeConfigsRequest request;
  auto& r = request.resources.emplace_back();
  r.resource_type = static_cast<int8_t>(type);
  r.resource_name = name;
  r.configuration_keys.reset();
  request.include_synonyms = include_synonyms;
  const int32_t node = type == ConfigResourceType::kBroker && !name.empty() ? std::stoi(name) : -1;
  auto response = cluster_->call<DescribeConfigsApi>(request, node);
  if (!response) return response.error();
  if (response->results.empty()) return Error(ErrorCode::UnknownServerError, "empty DescribeConfigs response");
  const auto& result = response->results.front();
  if (result.error_code != ErrorCode::None) return Error(result.error_code, result.error_message.value_or(""));
  std::vector<ConfigEntry> out;
  for (const auto& c : result.configs) {
    ConfigEntry e{c.name, c.value, c.config_source, c.read_only, c.is_sensitive, {}};
    for (const auto& s : c.synonyms) e.synonyms.push_back({s.name, s.value, s.source});
    out.push_back(std::move(e));
  }
  return out;
}

Error Admin::incremental_alter_configs(ConfigResourceType type, const std::string& name,
                                       const std::vector<ConfigAlteration>& alterations, bool validate_only) {
  IncrementalAlterConfigsRequest request;
  request.validate_only = validate_only;
  auto& r = request.resources.emplace_back();
  r.resource_type = static_cast<int8_t>(type);
  r.resource_name = name;
  for (const auto& a : alterations) {
    auto& c = r.configs.emplace_back();
    c.name = a.name;
    c.config_operation = static_cast<int8_t>(a.op);
    c.value = a.value;
  }
  const int32_t node = type == ConfigResourceType::kBroker && !name.empty() ? std::stoi(name) : -1;
  auto response = cluster_->call<IncrementalAlterConfigsApi>(request, node);
  if (!response) return response.error();
  for (const auto& res : response->responses) {
    if (res.error_code != ErrorCode::None) return Error(res.error_code, res.error_message.value_or(""));
  }
  return {};
}

Result<std::map<TopicPartition, ListedOffset>> Admin::list_offsets(const std::map<TopicPartition, OffsetSpec>& specs,
                                                                   int8_t isolation_level) {
  ListOffsetsRequest request;
  request.replica_id = BrokerId(-1);
  request.isolation_level = isolation_level;
  request.timeout_ms = static_cast<int32_t>(cluster_->config().request_timeout.count());
  for (const auto& [tp, spec] : specs) {
    auto& p = topic_entry(request.topics, tp.topic).partitions.emplace_back();
    p.partition_index = tp.partition;
    p.timestamp = spec.timestamp;
  }
  auto response = cluster_->call<ListOffsetsApi>(request);
  if (!response) return response.error();
  std::map<TopicPartition, ListedOffset> out;
  for (const auto& t : response->topics) {
    for (const auto& p : t.partitions) {
      out[{t.name.value(), p.partition_index}] = {p.offset, p.timestamp, p.leader_epoch, Error(p.error_code)};
    }
  }
  return out;
}

Result<std::map<TopicPartition, ListedOffset>> Admin::delete_records(const std::map<TopicPartition, int64_t>& before) {
  DeleteRecordsRequest request;
  request.timeout_ms = static_cast<int32_t>(cluster_->config().request_timeout.count());
  for (const auto& [tp, offset] : before) topic_entry(request.topics, tp.topic).partitions.push_back({tp.partition, offset, {}});
  auto response = cluster_->call<DeleteRecordsApi>(request);
  if (!response) return response.error();
  std::map<TopicPartition, ListedOffset> out;
  for (const auto& t : response->topics) {
    for (const auto& p : t.partitions) {
      out[{t.name.value(), p.partition_index}] = {p.low_watermark, -1, -1, Error(p.error_code)};
    }
  }
  return out;
}

Result<DescribeClusterResponse> Admin::describe_cluster() {
  DescribeClusterRequest request;
  auto response = cluster_->call<DescribeClusterApi>(request);
  if (!response) return response.error();
  if (response->error_code != ErrorCode::None) {
    return Error(response->error_code, response->error_message.value_or(""));
  }
  return std::move(*response);
}

Result<std::map<TopicPartition, int64_t>> Admin::partition_sizes(const std::vector<int32_t>& nodes) {
  std::map<TopicPartition, int64_t> out;
  for (int32_t node : nodes) {
    DescribeLogDirsRequest request;
    request.topics.reset();  // null: every topic
    auto response = cluster_->call<DescribeLogDirsApi>(request, node);
    if (!response) return response.error();
    if (response->error_code != ErrorCode::None) return Error(response->error_code);
    for (const auto& dir : response->results) {
      if (dir.error_code != ErrorCode::None) continue;
      for (const auto& t : dir.topics) {
        for (const auto& p : t.partitions) {
          if (!p.is_future_key) out[{t.name.value(), p.partition_index}] += p.partition_size;
        }
      }
    }
  }
  return out;
}

}  // namespace kafkalite::client
