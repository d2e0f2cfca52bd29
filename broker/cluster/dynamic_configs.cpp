#include "broker/cluster/dynamic_configs.h"

#include <spdlog/spdlog.h>

#include "broker/config/kafka_configs.h"
#include "broker/storage/keys.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"
#include "common/java_hash.h"
#include "common/text.h"

namespace kafkalite::cluster {
namespace {

constexpr int16_t kFormat = 1;

std::string entity_key(const config::BrokerConfig& config, bool cluster_default) {
  return storage::keys::dynamic_configs(cluster_default ? "" : std::to_string(config.node_id()));
}

std::string serialize(const std::map<std::string, std::string>& configs) {
  wire::Writer w;
  w.write_int16(kFormat);
  w.write_int32(static_cast<int32_t>(configs.size()));
  for (const auto& [k, v] : configs) {
    w.write_string(k, true);
    w.write_string(v, true);
  }
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<std::map<std::string, std::string>> parse(std::string_view bytes) {
  wire::Reader r({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  if (r.read_int16() != kFormat) return std::nullopt;
  std::map<std::string, std::string> out;
  const int32_t count = r.read_int32();
  for (int32_t i = 0; i < count && r.ok(); ++i) {
    std::string k = r.read_string(true);
    out[k] = r.read_string(true);
  }
  if (!r.ok()) return std::nullopt;
  return out;
}

// The order java.util.Properties (a Hashtable of 11 buckets, doubled plus one
// past 3/4 full) iterates names put into it in `names` order: Kafka builds
// its messages' Set(...) from that order.
std::vector<std::string> hashtable_order(const std::vector<std::string>& names) {
  size_t capacity = 11;
  std::vector<std::vector<std::string>> table(capacity);  // each bucket: head first
  size_t count = 0;
  auto bucket = [&](const std::string& s, size_t cap) {
    return static_cast<size_t>(static_cast<uint32_t>(java::string_hash(s)) & 0x7FFFFFFF) % cap;
  };
  for (const auto& name : names) {
    if (count >= capacity * 3 / 4) {
      const size_t bigger = capacity * 2 + 1;
      std::vector<std::vector<std::string>> rehashed(bigger);
      for (size_t i = capacity; i-- > 0;) {
        for (const auto& old : table[i]) rehashed[bucket(old, bigger)].insert(rehashed[bucket(old, bigger)].begin(), old);
      }
      table = std::move(rehashed);
      capacity = bigger;
    }
    auto& b = table[bucket(name, capacity)];
    b.insert(b.begin(), name);
    ++count;
  }
  std::vector<std::string> out;
  for (size_t i = capacity; i-- > 0;) out.insert(out.end(), table[i].begin(), table[i].end());
  return out;
}

// Scala's Set(a, b) as Kafka's messages print it.
std::string scala_set(const std::vector<std::string>& names) { return "Set(" + text::join(names, ", ") + ")"; }

}  // namespace

DynamicConfigs::DynamicConfigs(config::BrokerConfig& config, storage::KvStore& store)
    : config_(config), store_(store) {
  for (bool cluster_default : {true, false}) {
    if (auto stored = store_.get(entity_key(config_, cluster_default))) {
      if (auto configs = parse(*stored)) {
        config_.set_dynamic(cluster_default, std::move(*configs));
      } else {
        spdlog::warn("Skipping stored dynamic broker configs in an unknown format");
      }
    }
  }
}

DynamicConfigs::Entity DynamicConfigs::entity(const std::string& name) const {
  Entity out;
  out.cluster_default = name.empty();
  if (name.empty()) return out;
  if (name.find_first_not_of("0123456789") != std::string::npos) {
    out.error = {protocol::ErrorCode::InvalidRequest, "Node id must be an integer, but it is: " + name};
  } else if (name != std::to_string(config_.node_id())) {
    out.error = {protocol::ErrorCode::InvalidRequest, "Unexpected broker id, expected " +
                                                          std::to_string(config_.node_id()) + ", but received " + name};
  }
  return out;
}

config::ConfigChangeError DynamicConfigs::check(bool cluster_default,
                                                const std::vector<std::string>& order,
                                                const std::map<std::string, std::optional<std::string>>& changes) const {
  // Kafka's order: configs that are not dynamic, then values, then
  // per-broker configs at the cluster level; every refusal is INVALID_REQUEST.
  std::vector<std::string> not_dynamic, per_broker;
  for (const auto& name : hashtable_order(order)) {
    const auto* d = config::find_broker_config(name);
    if (d && !d->dynamic) not_dynamic.push_back(name);
    if (d && d->dynamic && d->per_broker && cluster_default) per_broker.push_back(name);
  }
  if (!not_dynamic.empty()) {
    return {protocol::ErrorCode::InvalidRequest, "Cannot update these configs dynamically: " + scala_set(not_dynamic)};
  }
  for (const auto& name : order) {
    const auto* d = config::find_broker_config(name);
    const auto& value = changes.at(name);
    if (!d || !value) continue;
    if (auto problem = config::invalid_config_value(*d, *value)) {
      return {protocol::ErrorCode::InvalidRequest, *problem};
    }
  }
  if (!per_broker.empty()) {
    return {protocol::ErrorCode::InvalidRequest,
            "Cannot update these configs at default cluster level, broker id must be specified: " +
                scala_set(per_broker)};
  }
  return {};
}

std::map<std::string, std::string> DynamicConfigs::after(
    bool cluster_default, const std::map<std::string, std::optional<std::string>>& changes, bool replace_all) const {
  std::map<std::string, std::string> out = replace_all ? std::map<std::string, std::string>{} : config_.dynamic(cluster_default);
  for (const auto& [name, value] : changes) {
    if (value) {
      out[name] = *value;
    } else {
      out.erase(name);
    }
  }
  return out;
}

storage::WriteResult DynamicConfigs::set(bool cluster_default, std::map<std::string, std::string> configs) {
  storage::WriteBatch batch;
  if (configs.empty()) {
    batch.remove(entity_key(config_, cluster_default));
  } else {
    batch.put(entity_key(config_, cluster_default), serialize(configs));
  }
  if (auto failed = store_.apply(batch)) return failed;
  spdlog::info("Dynamic broker configs of {}: {}", cluster_default ? "the cluster default" : "this broker", [&] {
    std::vector<std::string> shown;
    for (const auto& [k, v] : configs) {
      const auto* d = config::find_broker_config(k);
      shown.push_back(k + "=" + (d && d->sensitive ? "(hidden)" : v));
    }
    return shown.empty() ? std::string("none") : text::join(shown, ", ");
  }());
  config_.set_dynamic(cluster_default, std::move(configs));
  return std::nullopt;
}

config::ConfigChangeError DynamicConfigs::check_elr(
    bool cluster_default, const std::map<std::string, std::optional<std::string>>& changes, bool replace_all) const {
  static const std::string kMinIsr = "min.insync.replicas";
  const bool had = config_.dynamic(cluster_default).count(kMinIsr) != 0;
  auto it = changes.find(kMinIsr);
  // Kafka's controller sees a record for each config named, and (replacing
  // all) a removal for each one not named.
  const bool altered = it != changes.end() || (replace_all && had);
  const bool removed = (it != changes.end() && !it->second) || (replace_all && had && it == changes.end());
  if (!cluster_default && altered) {
    return {protocol::ErrorCode::InvalidConfig, "Broker-level min.insync.replicas cannot be altered while ELR is enabled."};
  }
  if (cluster_default && removed) {
    return {protocol::ErrorCode::InvalidConfig, "Cluster-level min.insync.replicas cannot be removed while ELR is enabled."};
  }
  return {};
}

DynamicConfigs::Staged DynamicConfigs::stage_elr_safety(storage::WriteBatch& batch) const {
  Staged staged{config_.dynamic(true), config_.dynamic(false)};
  bool changed_default = false;
  if (!staged.cluster_default.count("min.insync.replicas")) {
    staged.cluster_default["min.insync.replicas"] = config_.static_value("min.insync.replicas").value_or("1");
    changed_default = true;
  }
  const bool changed_broker = staged.broker.erase("min.insync.replicas") != 0;
  if (changed_default) batch.put(entity_key(config_, true), serialize(staged.cluster_default));
  if (changed_broker) {
    if (staged.broker.empty()) {
      batch.remove(entity_key(config_, false));
    } else {
      batch.put(entity_key(config_, false), serialize(staged.broker));
    }
  }
  return staged;
}

void DynamicConfigs::apply_staged(Staged staged) {
  if (staged.cluster_default != config_.dynamic(true)) {
    spdlog::info("Generating cluster-level min.insync.replicas of {}", staged.cluster_default["min.insync.replicas"]);
  }
  if (staged.broker != config_.dynamic(false)) {
    spdlog::info("Removing broker-level min.insync.replicas for brokers: {}", config_.node_id());
  }
  config_.set_dynamic(true, std::move(staged.cluster_default));
  config_.set_dynamic(false, std::move(staged.broker));
}

}  // namespace kafkalite::cluster
