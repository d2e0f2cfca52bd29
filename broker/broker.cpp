#include "broker/broker.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

#include "broker/api/connection_session.h"
#include "broker/api/dispatch.h"
#include "broker/cluster/internal_topics.h"
#include "broker/cluster/retention.h"
#include "broker/config/validation.h"
#include "common/clock.h"

namespace kafkalite::broker {

namespace {

// The network's view of a connection's session (api and net know nothing
// of each other).
class ConnectionHandler : public net::ConnectionHandler {
 public:
  ConnectionHandler(api::Services& services, const net::Peer& peer)
      : session_(services, peer.listener, peer.address, peer.certificate_subject) {}
  asio::awaitable<net::Reply> handle(std::span<const uint8_t> frame) override {
    co_return reply_of(co_await session_.handle(frame));
  }
  std::optional<net::Reply> refuse_size(int32_t size) override {
    auto refused = session_.refuse_size(size);
    if (!refused) return std::nullopt;
    return reply_of(std::move(*refused));
  }

 private:
  static net::Reply reply_of(api::DispatchOutcome outcome) {
    return net::Reply{std::move(outcome.response), outcome.close, outcome.linger};
  }
  api::ConnectionSession session_;
};

}  // namespace

Broker::Broker(asio::io_context& io, config::BrokerConfig config, std::unique_ptr<storage::KvStore> store)
    : io_(io), config_(std::move(config)), store_(std::move(store)) {
  if (auto problem = config::static_config_problem(config_)) throw std::invalid_argument(*problem);
  if (auto problem = config::group_coordinator_config_problem(config_)) throw std::invalid_argument(*problem);
  listener_security_ = security::listener_security(config_);
  authorizer_ = std::make_unique<security::Authorizer>(config_, *store_);
  node_ = std::make_unique<cluster::Node>(config_, *store_);
  quorum_ = std::make_unique<cluster::Quorum>(config_, *store_, now_ms());
  dynamic_configs_ = std::make_unique<cluster::DynamicConfigs>(config_, *store_);
  features_ = std::make_unique<cluster::Features>(*store_, *quorum_, *dynamic_configs_);
  // Fail-stop, as Kafka stops when its only log directory fails: the write
  // that failed is answered with its error, then the broker shuts down.
  store_->on_failure([this](storage::Access access, const std::string& reason) { storage_failed(access, reason); });
  topics_ = std::make_unique<cluster::TopicRegistry>(*store_);
  if (auto failed = topics_->lead_again()) {
    throw std::runtime_error("cannot write to the data directory: " + failed->message);
  }
  groups_ = std::make_unique<group::GroupCoordinator>(io_, config_, *store_);
  // The group coordinator's records go to __consumer_offsets, made when
  // first needed.
  // An existing topic keeps its partition count (as Kafka's coordinator
  // reads it), whatever offsets.topic.num.partitions says now.
  const cluster::Topic* offsets_topic = topics_->find(cluster::kConsumerOffsetsTopic);
  groups_->offsets_topic().attach(
      offsets_topic ? offsets_topic->partition_count()
                    : cluster::internal_topic_partitions(config_, cluster::InternalTopic::kConsumerOffsets),
      [this](int32_t partition) -> group::OffsetsPartition {
        cluster::Topic* topic =
            cluster::ensure_internal_topic(*topics_, config_, cluster::InternalTopic::kConsumerOffsets);
        if (!topic || !topic->partition(partition)) return {};
        return {topic->partition(partition), cluster::segment_rules(config_, *topic)};
      },
      [this](int32_t partition) {
        if (const cluster::Topic* topic = topics_->find(cluster::kConsumerOffsetsTopic)) {
          waiters_.notify({topic->id, partition});
        }
      });
  groups_->attach_topics(group::TopicLookup{
      [this](const std::string& name) -> std::optional<group::TopicMeta> {
        const cluster::Topic* t = topics_->find(name);
        if (!t) return std::nullopt;
        return group::TopicMeta{t->id, t->name, t->partition_count()};
      },
      [this](const wire::Uuid& id) -> std::optional<group::TopicMeta> {
        const cluster::Topic* t = topics_->find(id);
        if (!t) return std::nullopt;
        return group::TopicMeta{t->id, t->name, t->partition_count()};
      },
      [this] {
        std::vector<std::string> names;
        for (const auto& [name, t] : topics_->all()) names.push_back(name);
        return names;
      },
      [this] { return topics_->creations(); }});
  groups_->load();
  transactions_ =
      std::make_unique<txn::TransactionCoordinator>(config_, *store_, *node_, *features_, *topics_, *groups_,
                                                      waiters_);
  transactions_->load();
  scram_credentials_ = std::make_unique<security::ScramCredentials>(*store_);
  services_ = std::make_unique<api::Services>(api::Services::Parts{
      io_, config_, *store_, *node_, *quorum_, *features_, *dynamic_configs_, *topics_, *groups_, *transactions_,
      fetch_sessions_, waiters_, listener_security_, *scram_credentials_, *authorizer_});
  std::map<std::string, std::shared_ptr<asio::ssl::context>> tls;
  for (const auto& [listener, security] : listener_security_) {
    if (security.tls) tls.emplace(listener, security.tls->context);
  }
  server_ = std::make_unique<net::Server>(
      io_, config_, [this](const net::Peer& peer) { return std::make_unique<ConnectionHandler>(*services_, peer); },
      std::move(tls));
}

Broker::~Broker() = default;

void Broker::start() {
  server_->start();
  for (const auto& [listener, port] : server_->bound_ports()) node_->set_bound_port(listener, port);
  using std::chrono::milliseconds;
  // As Kafka's LogManager: the first retention pass log.initial.task.delay.ms
  // (30 s) after the start, then every log.retention.check.interval.ms.
  asio::co_spawn(io_, every(milliseconds(config_.get_int("log.retention.check.interval.ms", 300000)),
                            [this] { enforce_retention(); },
                            milliseconds(config_.get_int("log.initial.task.delay.ms", 30000))),
                 asio::detached);
  asio::co_spawn(io_, every(milliseconds(config_.get_int("log.cleaner.backoff.ms", 15000)), [this] { clean_logs(); }),
                 asio::detached);
  asio::co_spawn(io_, every(milliseconds(config_.get_int("producer.id.expiration.check.interval.ms", 600000)),
                            [this] { expire_producers(); }),
                 asio::detached);
  asio::co_spawn(
      io_,
      every(milliseconds(config_.get_int("transaction.abort.timed.out.transaction.cleanup.interval.ms", 10000)),
            [this] { transactions_->abort_timed_out_transactions(); }),
      asio::detached);
  asio::co_spawn(
      io_,
      every(milliseconds(config_.get_int("transaction.remove.expired.transaction.cleanup.interval.ms", 3600000)),
            [this] { transactions_->expire_transactional_ids(); }),
      asio::detached);
}

void Broker::stop() {
  if (stopping_) return;
  stopping_ = true;
  services_->set_stopping();
  server_->stop();
  waiters_.notify_all();
  groups_->shutdown();
  for (auto& timer : periodic_timers_) timer->cancel();
  if (exit_code_ == 0) {
    if (auto failed = quorum_->save(now_ms())) spdlog::warn("Could not keep the metadata log's offset: {}", failed->message);
  }
  if (on_stop_) on_stop_();
}

void Broker::storage_failed(storage::Access access, const std::string& reason) {
  const std::string dir = config_.log_dir();
  spdlog::error("Error while {} the data directory {}: {}",
                access == storage::Access::kReading ? "reading from" : "writing to", dir, reason);
  spdlog::error("Stopping serving replicas in dir {}", dir);
  spdlog::error("Shutdown broker because all log dirs in {} have failed", dir);
  exit_code_ = 1;
  // After the failing request has been answered.
  asio::post(io_, [this] { stop(); });
}

asio::awaitable<void> Broker::every(std::chrono::milliseconds interval, std::function<void()> work,
                                    std::optional<std::chrono::milliseconds> first) {
  auto& timer = *periodic_timers_.emplace_back(std::make_unique<asio::steady_timer>(io_));
  while (!stopping_) {
    timer.expires_after(first.value_or(interval));
    first.reset();
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_) co_return;
    work();
  }
}

void Broker::enforce_retention() { cluster::enforce_retention(*topics_, config_, now_ms()); }
size_t Broker::clean_logs() { return cluster::clean_logs(*topics_, config_, now_ms()); }

void Broker::expire_producers() { cluster::expire_producers(*topics_, config_, now_ms()); }

}  // namespace kafkalite::broker
