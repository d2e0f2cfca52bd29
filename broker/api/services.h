// What the handlers work with: the broker's parts, by reference, as the
// composition root (broker/broker.h) wires them. The handlers see no network
// and no owner; adding a part means adding it here and in the root.
#pragma once

#include "common/net/asio.h"
#include <cstdint>
#include <optional>
#include <string>

#include "broker/cluster/dynamic_configs.h"
#include "broker/cluster/features.h"
#include "broker/cluster/node.h"
#include "broker/cluster/quorum.h"
#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"
#include "broker/fetch/fetch_sessions.h"
#include "broker/fetch/partition_waiters.h"
#include "broker/group/group_coordinator.h"
#include "broker/security/authorizer.h"
#include "broker/security/listener_security.h"
#include "broker/security/scram_credentials.h"
#include "broker/storage/kv_store.h"
#include "broker/txn/transaction_coordinator.h"
#include "common/observe/journal.h"

namespace kafkalite::broker::api {

namespace asio = boost::asio;

// What a handler knows about the request beyond its body.
struct RequestContext {
  int32_t correlation_id = 0;
  std::optional<std::string> client_id;
  int16_t api_version = 0;
  std::string listener;  // the listener name the request came in on
  std::string peer;      // "host:port" of the client, for logs
  // Who sent it: "User:<name>" once authenticated by SASL, else "User:ANONYMOUS".
  std::string principal = "User:ANONYMOUS";
  // Set by a handler when Kafka would never answer this request (a JoinGroup
  // or SyncGroup replaced by a newer one from the same member): the
  // connection is closed instead of answered.
  mutable bool abandon = false;
  // Set by a handler when Kafka could not even build the request (its
  // request class's own checks refuse it, e.g. UNKNOWN enum codes): the
  // connection is closed with this reason, as Kafka closes it.
  mutable std::optional<std::string> invalid;
  // The client's IP as Java prints it (ACL hosts are compared with it), and
  // the API's name ("Fetch"), for the authorizer's log.
  std::string client_host;
  std::string_view api_name;
};

class Services {
 public:
  struct Parts {
    asio::io_context& io;
    const config::BrokerConfig& config;
    storage::KvStore& store;
    cluster::Node& node;
    cluster::Quorum& quorum;
    cluster::Features& features;
    cluster::DynamicConfigs& dynamic_configs;
    cluster::TopicRegistry& topics;
    group::GroupCoordinator& groups;
    txn::TransactionCoordinator& transactions;
    fetch::FetchSessionCache& fetch_sessions;
    fetch::PartitionWaiters& waiters;
    const std::map<std::string, security::ListenerSecurity>& listener_security;
    security::ScramCredentials& scram_credentials;
    security::Authorizer& authorizer;
  };
  explicit Services(Parts parts) : p_(parts) {}

  asio::io_context& io() { return p_.io; }
  const config::BrokerConfig& config() const { return p_.config; }
  storage::KvStore& store() { return p_.store; }
  cluster::TopicRegistry& topics() { return p_.topics; }
  group::GroupCoordinator& groups() { return p_.groups; }
  txn::TransactionCoordinator& transactions() { return p_.transactions; }
  fetch::FetchSessionCache& fetch_sessions() { return p_.fetch_sessions; }
  fetch::PartitionWaiters& data_waiters() { return p_.waiters; }
  cluster::Node& node() { return p_.node; }
  cluster::DynamicConfigs& dynamic_configs() { return p_.dynamic_configs; }
  cluster::Quorum& quorum() { return p_.quorum; }
  cluster::Features& features() { return p_.features; }
  // The listener's security settings (PLAINTEXT ones for a listener not configured).
  const security::ListenerSecurity& listener_security(const std::string& listener) const {
    static const security::ListenerSecurity kPlaintext;
    auto it = p_.listener_security.find(listener);
    return it == p_.listener_security.end() ? kPlaintext : it->second;
  }
  security::ScramCredentials& scram_credentials() { return p_.scram_credentials; }
  security::Authorizer& authorizer() { return p_.authorizer; }
  const std::string& cluster_id() const { return p_.node.cluster_id(); }
  protocol::BrokerId node_id() const { return protocol::BrokerId(p_.node.node_id()); }
  std::pair<std::string, int32_t> advertised_endpoint(const std::string& listener) const {
    return p_.node.advertised_endpoint(listener);
  }
  std::optional<int64_t> allocate_producer_id() { return p_.node.allocate_producer_id(); }

  // The console's journal of requests and group events, when one watches.
  observe::Journal* journal() { return journal_; }
  void set_journal(observe::Journal* journal) { journal_ = journal; }

  // Set when the broker shuts down: long polls return early.
  bool stopping() const { return stopping_; }
  void set_stopping() { stopping_ = true; }

 private:
  Parts p_;
  bool stopping_ = false;
  observe::Journal* journal_ = nullptr;
};

}  // namespace kafkalite::broker::api
