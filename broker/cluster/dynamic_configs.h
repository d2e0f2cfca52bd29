// Dynamic broker configs, as Kafka's KRaft controller keeps them: this node's
// and the cluster-wide defaults, set by AlterConfigs and IncrementalAlterConfigs
// on the BROKER resource, stored (the 'C' keys) and applied to the broker's
// configuration at once and at every start. Kafka's checks: a node id other
// than this one, a config that is not dynamic, a per-broker config at the
// cluster level and a bad value are refused with INVALID_REQUEST; names
// Kafka does not know are taken as they are.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/config/validation.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::cluster {

class DynamicConfigs {
 public:
  // Reads the stored dynamic configs into `config`.
  DynamicConfigs(config::BrokerConfig& config, storage::KvStore& store);

  // Which dynamic configs a BROKER resource name means: "" the cluster
  // defaults, this node's id its own; anything else is Kafka's INVALID_REQUEST.
  struct Entity {
    bool cluster_default = false;
    config::ConfigChangeError error;
  };
  Entity entity(const std::string& resource_name) const;

  // Kafka's checks of dynamic changes (name -> value, nullopt to delete);
  // `order` is the names in the request's order (Kafka's messages list
  // them in the order its Properties iterate them).
  config::ConfigChangeError check(bool cluster_default, const std::vector<std::string>& order,
                                  const std::map<std::string, std::optional<std::string>>& changes) const;
  // The entity's dynamic configs after `changes`, given `replace_all`
  // (AlterConfigs: the changes are the new set) or not (IncrementalAlterConfigs).
  std::map<std::string, std::string> after(bool cluster_default,
                                           const std::map<std::string, std::optional<std::string>>& changes,
                                           bool replace_all) const;
  // Stores the entity's new dynamic configs, then applies them.
  [[nodiscard]] storage::WriteResult set(bool cluster_default, std::map<std::string, std::string> configs);

  // The controller's rules for min.insync.replicas while ELR
  // (eligible.leader.replicas.version >= 1) is on: not at broker level, and
  // not removed at cluster level (INVALID_CONFIG). Checked after check().
  config::ConfigChangeError check_elr(bool cluster_default,
                                      const std::map<std::string, std::optional<std::string>>& changes,
                                      bool replace_all) const;
  // Turning ELR on (and formatting a cluster with it): a cluster-level
  // min.insync.replicas (the static one, else 1) when there is none, and no
  // broker-level one. stage_elr_safety adds the writes to `batch`;
  // apply_staged applies them once the batch is written.
  struct Staged {
    std::map<std::string, std::string> cluster_default, broker;
  };
  Staged stage_elr_safety(storage::WriteBatch& batch) const;
  void apply_staged(Staged staged);

 private:
  config::BrokerConfig& config_;
  storage::KvStore& store_;
};

}  // namespace kafkalite::cluster
