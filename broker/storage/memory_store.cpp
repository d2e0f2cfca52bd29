// The in-memory engine: a sorted map, for tests and the in-process broker.
#include <map>

#include "broker/storage/kv_store.h"

namespace kafkalite::storage {
namespace {

class MemoryStore final : public KvStore {
 public:
  WriteResult write(const WriteBatch& batch) override {
    for (const auto& op : batch.ops()) {
      switch (op.kind) {
        case WriteBatch::Kind::kPut:
          map_[op.key] = op.value;
          break;
        case WriteBatch::Kind::kDelete:
          map_.erase(op.key);
          break;
        case WriteBatch::Kind::kDeleteRange:
          map_.erase(map_.lower_bound(op.key), map_.lower_bound(op.value));
          break;
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> get(std::string_view key) const override {
    auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  void scan(std::string_view begin, std::string_view end, const Visitor& visit) const override {
    for (auto it = map_.lower_bound(begin); it != map_.end() && it->first < end; ++it) {
      if (!visit(it->first, it->second)) return;
    }
  }

  void scan_from_floor(std::string_view begin, std::string_view key, std::string_view end,
                       const ValueVisitor& visit) const override {
    auto it = map_.upper_bound(key);
    if (it != map_.begin() && std::prev(it)->first >= begin) --it;
    for (; it != map_.end() && it->first < end; ++it) {
      if (!visit(it->first, InlineValue(it->second))) return;
    }
  }

  WriteResult sync() override { return std::nullopt; }

 private:
  std::map<std::string, std::string, std::less<>> map_;
};

}  // namespace

std::unique_ptr<KvStore> open_memory_store() { return std::make_unique<MemoryStore>(); }

}  // namespace kafkalite::storage
