#include "broker/cluster/topic_registry.h"

#include "broker/cluster/topic_rules.h"
#include "broker/storage/keys.h"
#include "common/protocol/wire/random_uuid.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::cluster {
namespace keys = storage::keys;

std::string TopicRegistry::serialize_with_partitions(const Topic& topic, int32_t partitions) {
  wire::Writer w;
  w.write_int16(0);  // format version
  w.write_string(topic.name, true);
  w.write_int32(partitions);
  w.write_int32(static_cast<int32_t>(topic.configs.size()));
  for (const auto& [key, value] : topic.configs) {
    w.write_string(key, true);
    w.write_string(value, true);
  }
  return std::string(w.bytes().begin(), w.bytes().end());
}

TopicRegistry::TopicRegistry(storage::KvStore& store) : store_(store) {
  const std::string prefix = keys::topic_prefix();
  store_.scan(prefix, std::string(1, static_cast<char>(prefix[0] + 1)),
              [this](std::string_view key, std::string_view value) {
                wire::Reader r({reinterpret_cast<const uint8_t*>(value.data()), value.size()});
                if (r.read_int16() != 0) return true;
                auto topic = std::make_unique<Topic>();
                topic->id = keys::topic_id_of(key);
                topic->name = r.read_string(true);
                const int32_t partitions = r.read_int32();
                const int32_t config_count = r.read_int32();
                for (int32_t i = 0; i < config_count && r.ok(); ++i) {
                  std::string k = r.read_string(true);
                  topic->configs[k] = r.read_string(true);
                }
                if (!r.ok()) return true;
                open_partitions(*topic, partitions);
                topics_[topic->name] = std::move(topic);
                return true;
              });
}

Topic* TopicRegistry::find(const std::string& name) {
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : it->second.get();
}

Topic* TopicRegistry::find(const wire::Uuid& id) {
  for (auto& [name, topic] : topics_) {
    if (topic->id == id) return topic.get();
  }
  return nullptr;
}

Topic* TopicRegistry::find_collision(const std::string& name) {
  const std::string form = collision_form(name);
  for (auto& [existing, topic] : topics_) {
    if (existing != name && collision_form(existing) == form) return topic.get();
  }
  return nullptr;
}

void TopicRegistry::open_partitions(Topic& topic, int32_t count) {
  for (int32_t p = topic.partition_count(); p < count; ++p) {
    topic.partitions.push_back(std::make_unique<log::PartitionLog>(store_, topic.id, p));
  }
}

wire::Uuid TopicRegistry::new_topic_id() {
  wire::Uuid id;
  do {
    id = wire::random_uuid(random_);
  } while (find(id) != nullptr);
  return id;
}

Topic* TopicRegistry::create(const std::string& name, int32_t partitions,
                             std::map<std::string, std::string> configs) {
  auto topic = std::make_unique<Topic>();
  topic->name = name;
  topic->id = new_topic_id();
  topic->configs = std::move(configs);
  // The record says how many partitions there are; partitions have no keys
  // until their first write.
  Topic record = {topic->name, topic->id, topic->configs, {}, {}};
  storage::WriteBatch batch;
  batch.put(keys::topic(topic->id), serialize_with_partitions(record, partitions));
  if (store_.apply(batch)) return nullptr;
  open_partitions(*topic, partitions);
  Topic* created = topic.get();
  topics_[name] = std::move(topic);
  ++creations_;
  return created;
}

void TopicRegistry::stage_removal(const Topic& topic, storage::WriteBatch& batch) const {
  for (char kind : {'B', 'P', 'S', 'K', 'A', 'L'}) {
    batch.remove_range(keys::topic_begin(kind, topic.id), keys::topic_end(kind, topic.id));
  }
  batch.remove(keys::topic(topic.id));
}

void TopicRegistry::forget(const Topic& topic) { topics_.erase(topic.name); }

storage::WriteResult TopicRegistry::add_partitions(Topic& topic, int32_t new_count) {
  storage::WriteBatch batch;
  batch.put(keys::topic(topic.id), serialize_with_partitions(topic, new_count));
  if (auto failed = store_.apply(batch)) return failed;
  open_partitions(topic, new_count);
  return std::nullopt;
}

storage::WriteResult TopicRegistry::set_configs(Topic& topic,
                                                std::map<std::string, std::string> configs) {
  Topic changed = {topic.name, topic.id, std::move(configs), {}, {}};
  storage::WriteBatch batch;
  batch.put(keys::topic(topic.id), serialize_with_partitions(changed, topic.partition_count()));
  if (auto failed = store_.apply(batch)) return failed;
  topic.configs = std::move(changed.configs);
  return std::nullopt;
}

storage::WriteResult TopicRegistry::lead_again() {
  storage::WriteBatch batch;
  for (const auto& [name, topic] : topics_) {
    for (const auto& p : topic->partitions) p->stage_leader_epoch(p->leader_epoch() + 2, batch);
  }
  if (batch.empty()) return std::nullopt;
  if (auto failed = store_.apply(batch)) return failed;
  for (const auto& [name, topic] : topics_) {
    for (const auto& p : topic->partitions) p->apply_leader_epoch(p->leader_epoch() + 2);
  }
  return std::nullopt;
}

}  // namespace kafkalite::cluster
