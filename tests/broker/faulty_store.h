// A store for tests that fails on demand, as a full disk would: it forwards
// to an in-memory store that outlives it (so a "restarted" broker sees what
// was really stored) and refuses writes once told to.
#pragma once

#include <atomic>
#include <memory>

#include "broker/embedded_broker.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::testing {

class FaultyStore final : public storage::KvStore {
 public:
  struct Control {
    // Writes that still succeed; -1: all of them.
    std::atomic<int64_t> writes_left{-1};
    std::atomic<int64_t> writes{0};  // successful writes so far
    std::shared_ptr<storage::KvStore> data = storage::open_memory_store();
  };

  explicit FaultyStore(std::shared_ptr<Control> control) : control_(std::move(control)) {}

  std::optional<std::string> get(std::string_view key) const override { return control_->data->get(key); }
  void scan(std::string_view begin, std::string_view end, const Visitor& visit) const override {
    control_->data->scan(begin, end, visit);
  }
  void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                       const ValueVisitor& visit) const override {
    control_->data->scan_from_floor(begin, key, end, visit);
  }

 protected:
  storage::WriteResult write(const storage::WriteBatch& batch) override {
    int64_t left = control_->writes_left.load();
    while (left > 0 && !control_->writes_left.compare_exchange_weak(left, left - 1)) {
    }
    if (left == 0) return storage::WriteError{"No space left on device (injected by the test)"};
    ++control_->writes;
    return control_->data->apply(batch);
  }
  storage::WriteResult sync() override { return std::nullopt; }

 private:
  std::shared_ptr<Control> control_;
};

// Options for an in-process broker on a FaultyStore.
inline EmbeddedBroker::Options faulty_options(std::shared_ptr<FaultyStore::Control> control,
                                              std::map<std::string, std::string> properties = {}) {
  EmbeddedBroker::Options options;
  options.properties = std::move(properties);
  options.open_store = [control] { return std::make_unique<FaultyStore>(control); };
  return options;
}

}  // namespace kafkalite::testing
