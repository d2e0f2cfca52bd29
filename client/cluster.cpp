#include "client/cluster.h"

#include <algorithm>
#include <sstream>
#include <thread>

namespace kafkalite::client {

std::vector<std::string> split_servers(const std::string& servers) {
  std::vector<std::string> out;
  std::stringstream in(servers);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
  }
  return out;
}

const TopicInfo* ClusterMetadata::topic(const std::string& name) const {
  for (const auto& t : topics) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const BrokerInfo* ClusterMetadata::broker(int32_t node_id) const {
  for (const auto& b : brokers) {
    if (b.node_id == node_id) return &b;
  }
  return nullptr;
}

Result<std::unique_ptr<Cluster>> Cluster::connect(const ClientConfig& config) {
  std::unique_ptr<Cluster> cluster(new Cluster(config));
  std::string tried;
  for (const auto& address : split_servers(config.bootstrap_servers)) {
    if (address.find(':') == std::string::npos) {
      return Error(ErrorCode::InvalidRequest, "bootstrap server '" + address + "' has no port (host:port)");
    }
    auto connection = std::make_unique<AsyncConnection>(cluster->io_, address, config.client_id, config.security);
    AsyncConnection& c = *connection;
    // ApiVersions at v3 (the client's software name), or v0 when the broker
    // is older: the newest both know comes from its answer.
    auto hello = [&c]() -> boost::asio::awaitable<Result<protocol::ApiVersionsResponse>> {
      if (Error e = co_await c.connect()) co_return e;
      protocol::ApiVersionsRequest request;
      request.client_software_name = "kafkalite";
      request.client_software_version = "0.1.0";
      auto response = co_await c.request<protocol::ApiVersionsApi>(request, 3);
      if (response && response->error_code == ErrorCode::UnsupportedVersion) {
        response = co_await c.request<protocol::ApiVersionsApi>(request, 0);
      }
      co_return response;
    };
    cluster->connections_[-1] = std::move(connection);
    auto answer = cluster->run<Result<protocol::ApiVersionsResponse>>(hello(), "ApiVersions");
    if (answer && answer->error_code == ErrorCode::None) {
      cluster->api_versions_ = std::move(*answer);
      cluster->bootstrap_address_ = address;
      return cluster;
    }
    cluster->connections_.erase(-1);
    if (!tried.empty()) tried += "; ";
    if (!answer) {
      tried += answer.error().code == ErrorCode::NetworkException ? answer.error().message
                                                                  : address + " (" + answer.error().describe() + ")";
    } else {
      tried += address + " (ApiVersions answered " + std::string(protocol::error_name(answer->error_code)) + ")";
    }
  }
  if (tried.empty()) return Error(ErrorCode::InvalidRequest, "no bootstrap server given");
  return Error(ErrorCode::NetworkException, "cannot connect to the broker at " + tried);
}

bool Cluster::run_until_done(const std::function<bool()>& finished) {
  const auto deadline = std::chrono::steady_clock::now() + config_.request_timeout;
  io_.restart();
  while (!finished()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left > std::chrono::steady_clock::duration::zero() && io_.run_one_for(left) > 0) continue;
    if (finished()) break;
    if (left > std::chrono::steady_clock::duration::zero() && !io_.stopped()) continue;
    // Timed out: abort everything in flight and let the coroutine finish.
    for (auto& [node, c] : connections_) c->cancel();
    io_.restart();
    while (!finished() && io_.run_one() > 0) {
    }
    connections_.clear();
    return false;
  }
  return true;
}

int16_t Cluster::usable_version(protocol::ApiKey key, int16_t client_min, int16_t client_max) const {
  for (const auto& api : api_versions_.api_keys) {
    if (api.api_key != static_cast<int16_t>(key)) continue;
    const int16_t v = std::min(api.max_version, client_max);
    return v >= std::max(api.min_version, client_min) ? v : -1;
  }
  return -1;
}

std::string Cluster::address_of(int32_t node) const {
  if (node < 0) return bootstrap_address_;
  auto it = addresses_.find(node);
  return it == addresses_.end() ? "node " + std::to_string(node) : it->second;
}

boost::asio::awaitable<Error> Cluster::connection_to(int32_t node, AsyncConnection*& connection) {
  auto it = connections_.find(node);
  if (it != connections_.end()) {
    connection = it->second.get();
    co_return Error();
  }
  if (node >= 0 && !addresses_.count(node)) {
    // Learn the node's address from the bootstrap connection's metadata.
    protocol::MetadataRequest request;
    request.topics.emplace();
    request.allow_auto_topic_creation = false;
    auto response = co_await async_call<protocol::MetadataApi>(request, -1);
    if (!response) co_return response.error();
    for (const auto& b : response->brokers) addresses_[b.node_id.value()] = b.host + ":" + std::to_string(b.port);
  }
  const std::string address = address_of(node);
  auto created = std::make_unique<AsyncConnection>(io_, address, config_.client_id, config_.security);
  if (Error e = co_await created->connect()) co_return Error(ErrorCode::NetworkException, "cannot connect to " + e.message);
  connection = created.get();
  connections_[node] = std::move(created);
  co_return Error();
}

Result<ClusterMetadata> Cluster::metadata(const std::optional<std::vector<std::string>>& topics,
                                          bool allow_auto_create) {
  protocol::MetadataRequest request;
  request.allow_auto_topic_creation = allow_auto_create;
  if (topics) {
    request.topics.emplace();
    for (const auto& name : *topics) request.topics->emplace_back().name = protocol::TopicName(name);
  } else {
    request.topics.reset();
  }
  auto response = call<protocol::MetadataApi>(request);
  if (!response) return response.error();
  ClusterMetadata out;
  out.cluster_id = response->cluster_id.value_or("");
  out.controller_id = response->controller_id.value();
  for (const auto& b : response->brokers) {
    out.brokers.push_back({b.node_id.value(), b.host, b.port, b.rack});
    addresses_[b.node_id.value()] = out.brokers.back().address();
  }
  for (const auto& t : response->topics) {
    TopicInfo topic;
    topic.name = t.name ? t.name->value() : "";
    topic.id = t.topic_id;
    topic.internal = t.is_internal;
    topic.error = Error(t.error_code);
    for (const auto& p : t.partitions) {
      PartitionInfo partition;
      partition.partition = p.partition_index;
      partition.leader = p.leader_id.value();
      partition.leader_epoch = p.leader_epoch;
      for (auto r : p.replica_nodes) partition.replicas.push_back(r.value());
      for (auto r : p.isr_nodes) partition.isr.push_back(r.value());
      for (auto r : p.offline_replicas) partition.offline.push_back(r.value());
      partition.error = Error(p.error_code);
      topic.partitions.push_back(std::move(partition));
    }
    std::sort(topic.partitions.begin(), topic.partitions.end(),
              [](const PartitionInfo& a, const PartitionInfo& b) { return a.partition < b.partition; });
    out.topics.push_back(std::move(topic));
  }
  return out;
}

Result<int32_t> Cluster::coordinator(const std::string& key, int8_t key_type) {
  protocol::FindCoordinatorRequest request;
  request.key_type = key_type;
  const int16_t v = version<protocol::FindCoordinatorApi>();
  if (v >= 4) {
    request.coordinator_keys = {key};
  } else {
    request.key = key;
  }
  // A new cluster answers COORDINATOR_NOT_AVAILABLE until its offsets topic
  // exists; Kafka's clients retry, and so does this.
  const auto deadline = std::chrono::steady_clock::now() + config_.request_timeout;
  for (;;) {
    auto response = call<protocol::FindCoordinatorApi>(request);
    if (!response) return response.error();
    ErrorCode code = response->error_code;
    std::string message = response->error_message.value_or("");
    int32_t node = response->node_id.value();
    std::string address = response->host + ":" + std::to_string(response->port);
    if (v >= 4 && !response->coordinators.empty()) {
      const auto& c = response->coordinators.front();
      code = c.error_code;
      message = c.error_message.value_or("");
      node = c.node_id.value();
      address = c.host + ":" + std::to_string(c.port);
    }
    if (code == ErrorCode::None) {
      addresses_[node] = address;
      return node;
    }
    if (!protocol::error_is_retriable(code) || std::chrono::steady_clock::now() > deadline) {
      return Error(code, message);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // Kafka's retry.backoff.ms
  }
}

}  // namespace kafkalite::client
