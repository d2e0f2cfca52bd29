// The composition root: builds the broker's parts in order — store, node,
// quorum, feature levels, topics, groups, transactions, fetch sessions, listener
// security and SCRAM credentials, the handlers' view of them, the network —
// wires them together, and runs the periodic work (retention, producer
// expiry, transaction timeouts). Everything
// runs on one io_context thread, so broker state needs no locks; handlers are
// C++20 coroutines so a long-polling Fetch waits without blocking anyone.
#pragma once

#include "common/net/asio.h"
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "broker/api/services.h"
#include "broker/cluster/dynamic_configs.h"
#include "broker/cluster/features.h"
#include "broker/cluster/node.h"
#include "broker/cluster/quorum.h"
#include "broker/cluster/topic_registry.h"
#include "broker/config/broker_config.h"
#include "broker/fetch/fetch_sessions.h"
#include "broker/fetch/partition_waiters.h"
#include "broker/group/group_coordinator.h"
#include "broker/net/server.h"
#include "broker/security/authorizer.h"
#include "broker/security/listener_security.h"
#include "broker/security/scram_credentials.h"
#include "broker/storage/kv_store.h"
#include "broker/txn/transaction_coordinator.h"

namespace kafkalite::broker {

namespace asio = boost::asio;

class Broker {
 public:
  // Throws std::runtime_error when the store cannot keep the cluster id.
  Broker(asio::io_context& io, config::BrokerConfig config, std::unique_ptr<storage::KvStore> store);
  ~Broker();

  // Binds every listener (throws std::system_error when one cannot be bound)
  // and starts accepting and the periodic work.
  void start();
  // Stops accepting; idle connections close at once, busy ones after
  // answering the request in hand; waiting fetches and joins return early.
  void stop();
  // Called when the broker stops, also when it stops itself (its storage
  // failed): the owner cancels whatever else it keeps waiting on the loop.
  void on_stop(std::function<void()> callback) { on_stop_ = std::move(callback); }
  // 0, or 1 once the broker stopped because its storage failed.
  int exit_code() const { return exit_code_; }

  std::vector<std::pair<std::string, uint16_t>> bound_ports() const { return server_->bound_ports(); }
  const config::BrokerConfig& config() const { return config_; }
  const std::string& cluster_id() const { return node_->cluster_id(); }
  int32_t node_id() const { return node_->node_id(); }
  // Tells `journal` (the console's) each request answered and each group's
  // events; call before start(). The journal must outlive the broker.
  void observe_with(observe::Journal* journal) {
    services_->set_journal(journal);
    groups_->observe_with(journal);
  }
  // The broker's parts as the handlers see them (the embedded broker uses it too).
  api::Services& services() { return *services_; }

  // Applies retention.ms and retention.bytes to every partition now (the
  // retention loop does this every log.retention.check.interval.ms).
  void enforce_retention();
  // Compacts the compacted topics the cleaner's rules call for now (the
  // cleaner does this every log.cleaner.backoff.ms); returns how many
  // partitions it cleaned.
  size_t clean_logs();
  // Expires idle producers' state now (a loop does this every
  // producer.id.expiration.check.interval.ms).
  void expire_producers();
  // Aborts the transactions open longer than their timeout now (a loop does
  // this every transaction.abort.timed.out.transaction.cleanup.interval.ms).
  size_t abort_timed_out_transactions() { return transactions_->abort_timed_out_transactions(); }
  // Forgets idle transactional ids now (every
  // transaction.remove.expired.transaction.cleanup.interval.ms).
  size_t expire_transactional_ids() { return transactions_->expire_transactional_ids(); }
  // Makes everything acknowledged durable against an OS crash (at shutdown).
  storage::WriteResult flush_storage() { return store_->flush(); }

 private:
  // Runs `work` every `interval` until the broker stops, the first time
  // after `first` (the interval when not given).
  asio::awaitable<void> every(std::chrono::milliseconds interval, std::function<void()> work,
                              std::optional<std::chrono::milliseconds> first = std::nullopt);
  void storage_failed(storage::Access access, const std::string& reason);

  asio::io_context& io_;
  config::BrokerConfig config_;
  std::unique_ptr<storage::KvStore> store_;
  std::unique_ptr<cluster::Node> node_;
  std::unique_ptr<cluster::Quorum> quorum_;
  std::unique_ptr<cluster::DynamicConfigs> dynamic_configs_;
  std::unique_ptr<cluster::Features> features_;
  std::unique_ptr<cluster::TopicRegistry> topics_;
  std::unique_ptr<group::GroupCoordinator> groups_;
  fetch::FetchSessionCache fetch_sessions_;
  fetch::PartitionWaiters waiters_;
  std::unique_ptr<txn::TransactionCoordinator> transactions_;
  std::map<std::string, security::ListenerSecurity> listener_security_;
  std::unique_ptr<security::ScramCredentials> scram_credentials_;
  std::unique_ptr<security::Authorizer> authorizer_;
  std::unique_ptr<api::Services> services_;
  std::unique_ptr<net::Server> server_;
  std::vector<std::unique_ptr<asio::steady_timer>> periodic_timers_;
  bool stopping_ = false;
  int exit_code_ = 0;
  std::function<void()> on_stop_;
};

}  // namespace kafkalite::broker
