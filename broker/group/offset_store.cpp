#include "broker/group/offset_store.h"

#include <spdlog/spdlog.h>

#include "broker/storage/keys.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::broker::group {
namespace {

constexpr int16_t kOffsetFormat = 1;

std::string serialize(const CommittedOffset& o) {
  wire::Writer w;
  w.write_int16(kOffsetFormat);
  w.write_int64(o.offset);
  w.write_int32(o.leader_epoch);
  w.write_int64(o.commit_timestamp_ms);
  w.write_int64(o.expire_timestamp_ms);
  w.write_string(o.metadata, true);
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<CommittedOffset> parse(std::string_view bytes) {
  wire::Reader r(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (r.read_int16() != kOffsetFormat) return std::nullopt;
  CommittedOffset o;
  o.offset = r.read_int64();
  o.leader_epoch = r.read_int32();
  o.commit_timestamp_ms = r.read_int64();
  o.expire_timestamp_ms = r.read_int64();
  o.metadata = r.read_string(true);
  if (!r.ok()) return std::nullopt;
  return o;
}

}  // namespace

size_t OffsetStore::load(const std::function<void(const std::string&)>& on_group) {
  size_t count = 0;
  const std::string prefix = storage::keys::committed_offsets_prefix();
  store_.scan(prefix, storage::keys::after_prefix(prefix), [&](std::string_view key, std::string_view value) {
    auto k = storage::keys::parse_committed_offset(key);
    auto o = parse(value);
    if (!o) {
      spdlog::warn("Skipping a committed offset of group {} stored in an unknown format", k.group_id);
      return true;
    }
    if (!offsets_.count(k.group_id)) on_group(k.group_id);
    offsets_[k.group_id][k.topic][k.partition] = *o;
    ++count;
    return true;
  });
  const std::string pending = storage::keys::pending_offsets_prefix();
  store_.scan(pending, storage::keys::after_prefix(pending), [&](std::string_view key, std::string_view value) {
    auto k = storage::keys::parse_pending_offset(key);
    if (auto o = parse(value)) pending_[k.group_id][k.producer_id][k.topic][k.partition] = *o;
    return true;
  });
  return count;
}

storage::WriteResult OffsetStore::commit_pending(
    const std::string& group_id, int64_t producer_id, int16_t producer_epoch,
    const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets) {
  storage::WriteBatch batch;
  OffsetsRecords records(&topic_);
  for (const auto& [topic, partition, offset] : offsets) {
    batch.put(storage::keys::pending_offset(group_id, producer_id, topic, partition), serialize(offset));
    records.offset_commit(group_id, topic, partition, offset);
  }
  records.stage(batch, clock_(), producer_id, producer_epoch);
  if (auto failed = store_.apply(batch)) return failed;
  records.apply();
  for (const auto& [topic, partition, offset] : offsets) pending_[group_id][producer_id][topic][partition] = offset;
  return std::nullopt;
}

bool OffsetStore::has_pending(const std::string& group_id, const std::string& topic, int32_t partition) const {
  auto g = pending_.find(group_id);
  if (g == pending_.end()) return false;
  for (const auto& [producer, topics] : g->second) {
    auto t = topics.find(topic);
    if (t != topics.end() && t->second.count(partition)) return true;
  }
  return false;
}

bool OffsetStore::has_pending(const std::string& group_id) const {
  auto g = pending_.find(group_id);
  return g != pending_.end() && !g->second.empty();
}

void OffsetStore::stage_end_pending(const std::string& group_id, int64_t producer_id, bool commit,
                                    storage::WriteBatch& batch) const {
  auto g = pending_.find(group_id);
  if (g == pending_.end()) return;
  auto p = g->second.find(producer_id);
  if (p == g->second.end()) return;
  for (const auto& [topic, partitions] : p->second) {
    for (const auto& [partition, offset] : partitions) {
      batch.remove(storage::keys::pending_offset(group_id, producer_id, topic, partition));
      if (commit && supersedes(group_id, topic, partition, offset)) {
        batch.put(storage::keys::committed_offset(group_id, topic, partition), serialize(offset));
      }
    }
  }
}

bool OffsetStore::supersedes(const std::string& group_id, const std::string& topic, int32_t partition,
                             const CommittedOffset& pending) const {
  // Kafka keeps a plain commit made after the transactional one.
  auto existing = committed(group_id, topic, partition);
  return !existing || existing->commit_timestamp_ms <= pending.commit_timestamp_ms;
}

void OffsetStore::apply_end_pending(const std::string& group_id, int64_t producer_id, bool commit) {
  auto g = pending_.find(group_id);
  if (g == pending_.end()) return;
  auto p = g->second.find(producer_id);
  if (p == g->second.end()) return;
  if (commit) {
    for (const auto& [topic, partitions] : p->second) {
      for (const auto& [partition, offset] : partitions) {
        if (supersedes(group_id, topic, partition, offset)) offsets_[group_id][topic][partition] = offset;
      }
    }
  }
  g->second.erase(p);
  if (g->second.empty()) pending_.erase(g);
}

storage::WriteResult OffsetStore::commit(
    const std::string& group_id, const std::vector<std::tuple<std::string, int32_t, CommittedOffset>>& offsets) {
  storage::WriteBatch batch;
  OffsetsRecords records(&topic_);
  for (const auto& [topic, partition, offset] : offsets) {
    batch.put(storage::keys::committed_offset(group_id, topic, partition), serialize(offset));
    records.offset_commit(group_id, topic, partition, offset);
  }
  records.stage(batch, clock_());
  if (auto failed = store_.apply(batch)) return failed;
  records.apply();
  for (const auto& [topic, partition, offset] : offsets) offsets_[group_id][topic][partition] = offset;
  return std::nullopt;
}

std::optional<CommittedOffset> OffsetStore::committed(const std::string& group_id, const std::string& topic,
                                                      int32_t partition) const {
  auto g = offsets_.find(group_id);
  if (g == offsets_.end()) return std::nullopt;
  auto t = g->second.find(topic);
  if (t == g->second.end()) return std::nullopt;
  auto p = t->second.find(partition);
  if (p == t->second.end()) return std::nullopt;
  return p->second;
}

GroupOffsets OffsetStore::committed(const std::string& group_id) const {
  auto g = offsets_.find(group_id);
  return g == offsets_.end() ? GroupOffsets{} : g->second;
}

bool OffsetStore::has_offsets(const std::string& group_id) const {
  auto g = offsets_.find(group_id);
  return g != offsets_.end() && !g->second.empty();
}

storage::WriteResult OffsetStore::delete_offsets(const std::string& group_id,
                                                 const std::vector<OffsetRef>& partitions) {
  storage::WriteBatch batch;
  OffsetsRecords records(&topic_);
  for (const auto& [topic, partition] : partitions) {
    batch.remove(storage::keys::committed_offset(group_id, topic, partition));
    records.offset_tombstone(group_id, topic, partition);
  }
  if (batch.empty()) return std::nullopt;
  records.stage(batch, clock_());
  if (auto failed = store_.apply(batch)) return failed;
  records.apply();
  auto g = offsets_.find(group_id);
  if (g == offsets_.end()) return std::nullopt;
  for (const auto& [topic, partition] : partitions) {
    auto t = g->second.find(topic);
    if (t == g->second.end()) continue;
    t->second.erase(partition);
    if (t->second.empty()) g->second.erase(t);
  }
  if (g->second.empty()) offsets_.erase(g);
  return std::nullopt;
}

size_t OffsetStore::stage_group_removal(const std::string& group_id, storage::WriteBatch& batch,
                                        OffsetsRecords& records) const {
  size_t removed = 0;
  auto g = offsets_.find(group_id);
  if (g == offsets_.end()) return 0;
  for (const auto& [topic, partitions] : g->second) {
    for (const auto& [partition, offset] : partitions) {
      batch.remove(storage::keys::committed_offset(group_id, topic, partition));
      records.offset_tombstone(group_id, topic, partition);
      ++removed;
    }
  }
  return removed;
}

void OffsetStore::forget_group(const std::string& group_id) { offsets_.erase(group_id); }

size_t OffsetStore::stage_topic_removal(const std::string& topic, storage::WriteBatch& batch,
                                        OffsetsRecords& records) const {
  size_t removed = 0;
  for (const auto& [group_id, topics] : offsets_) {
    auto t = topics.find(topic);
    if (t == topics.end()) continue;
    for (const auto& [partition, offset] : t->second) {
      batch.remove(storage::keys::committed_offset(group_id, topic, partition));
      records.offset_tombstone(group_id, topic, partition);
      ++removed;
    }
  }
  return removed;
}

size_t OffsetStore::forget_topic(const std::string& topic) {
  size_t removed = 0;
  for (auto g = offsets_.begin(); g != offsets_.end();) {
    auto t = g->second.find(topic);
    if (t != g->second.end()) {
      removed += t->second.size();
      g->second.erase(t);
    }
    g = g->second.empty() ? offsets_.erase(g) : std::next(g);
  }
  return removed;
}

std::vector<OffsetRef> OffsetStore::expired(const std::string& group_id, int64_t now_ms, int64_t retention_ms,
                                            const ExpiryRule& rule) const {
  std::vector<OffsetRef> out;
  auto g = offsets_.find(group_id);
  if (g == offsets_.end() || rule.scope == ExpiryRule::Scope::kNone) return out;
  for (const auto& [topic, partitions] : g->second) {
    if (rule.scope == ExpiryRule::Scope::kUnsubscribed && rule.subscribed && rule.subscribed(topic)) continue;
    for (const auto& [partition, o] : partitions) {
      // An expire time a v1 commit set wins; else the age from the base time.
      const int64_t base = rule.base_timestamp_ms.value_or(o.commit_timestamp_ms);
      const bool gone = o.expire_timestamp_ms >= 0 ? now_ms >= o.expire_timestamp_ms : now_ms - base >= retention_ms;
      // Not while an open transaction holds an offset for it (Kafka waits too).
      if (gone && !has_pending(group_id, topic, partition)) out.emplace_back(topic, partition);
    }
  }
  return out;
}

}  // namespace kafkalite::broker::group
