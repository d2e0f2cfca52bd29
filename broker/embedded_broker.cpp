#include "broker/embedded_broker.h"

#include <future>
#include <stdexcept>
#include <thread>

#include "broker/cluster/topic_rules.h"
#include "broker/broker.h"
#include "common/protocol/generated/error_code.h"

namespace kafkalite {

struct EmbeddedBroker::State {
  boost::asio::io_context io;
  std::unique_ptr<broker::Broker> broker;
  std::thread thread;
  uint16_t port = 0;
  std::vector<std::pair<std::string, uint16_t>> bound;
  bool stopped = false;

  // Runs `fn` on the broker's thread and waits for it.
  template <typename Fn>
  auto on_broker_thread(Fn fn) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    boost::asio::post(io, [&task] { task(); });
    return result.get();
  }
};

EmbeddedBroker::EmbeddedBroker(std::unique_ptr<State> state) : state_(std::move(state)) {}

std::unique_ptr<EmbeddedBroker> EmbeddedBroker::start(Options options) {
  auto state = std::make_unique<State>();
  config::BrokerConfig config;
  config.set("listeners", "PLAINTEXT://127.0.0.1:0");
  for (const auto& [key, value] : options.properties) config.set(key, value);
  auto store = options.open_store          ? options.open_store()
               : options.data_dir.empty() ? storage::open_memory_store()
                                          : storage::open_rocksdb_store(options.data_dir);
  state->broker = std::make_unique<broker::Broker>(state->io, std::move(config), std::move(store));
  if (options.journal) state->broker->observe_with(options.journal);
  state->broker->start();
  state->bound = state->broker->bound_ports();
  state->port = state->bound.front().second;
  state->thread = std::thread([s = state.get()] { s->io.run(); });
  return std::unique_ptr<EmbeddedBroker>(new EmbeddedBroker(std::move(state)));
}

EmbeddedBroker::~EmbeddedBroker() { stop(); }

std::string EmbeddedBroker::bootstrap() const { return "127.0.0.1:" + std::to_string(state_->port); }
uint16_t EmbeddedBroker::port() const { return state_->port; }
std::string EmbeddedBroker::bootstrap(const std::string& listener) const {
  for (const auto& [name, port] : state_->bound) {
    if (name == listener) return "127.0.0.1:" + std::to_string(port);
  }
  throw std::invalid_argument("no listener " + listener);
}

void EmbeddedBroker::create_topic(const std::string& name, int32_t partitions,
                                  std::map<std::string, std::string> configs) {
  auto result = state_->on_broker_thread([&] {
    auto& services = state_->broker->services();
    return cluster::create_topic(services.topics(), services.config(), name, partitions, -1, configs, false);
  });
  if (result.error != protocol::ErrorCode::None) {
    throw std::runtime_error(std::string(protocol::error_name(result.error)) + ": " + result.message);
  }
}

void EmbeddedBroker::enforce_retention() {
  state_->on_broker_thread([&] {
    state_->broker->enforce_retention();
    return 0;
  });
}

size_t EmbeddedBroker::clean_logs() {
  return state_->on_broker_thread([&] { return state_->broker->clean_logs(); });
}

void EmbeddedBroker::expire_producers() {
  state_->on_broker_thread([&] {
    state_->broker->expire_producers();
    return 0;
  });
}

size_t EmbeddedBroker::abort_timed_out_transactions() {
  return state_->on_broker_thread([&] { return state_->broker->abort_timed_out_transactions(); });
}

size_t EmbeddedBroker::expire_transactional_ids() {
  return state_->on_broker_thread([&] { return state_->broker->expire_transactional_ids(); });
}

void EmbeddedBroker::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::asio::post(state_->io, [s = state_.get()] { s->broker->stop(); });
  state_->thread.join();
  (void)state_->broker->flush_storage();  // a failed store has said so in the log
}

}  // namespace kafkalite
