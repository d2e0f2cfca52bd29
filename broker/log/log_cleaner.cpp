// Log compaction for one partition, as Kafka's cleaner (Cleaner,
// LogCleanerManager, MemoryRecords.filterTo) does it:
//
// - The dirty range runs from the checkpoint (where the last clean ended)
//   to the first uncleanable offset: the last stable offset, the active
//   segment's base (the active segment is never cleaned), and the first
//   dirty segment newer than min.compaction.lag.ms. The log is cleaned when
//   the dirty share of its bytes is above min.cleanable.dirty.ratio, or when
//   a dirty segment is older than max.compaction.lag.ms.
// - A map of each key's latest offset is built over the dirty range (bounded
//   by log.cleaner.dedupe.buffer.size, stopping at a segment's end), then
//   every batch from the log start to the map's end is filtered: a record is
//   kept when it is past the map, or is its key's latest; a record without a
//   key goes; a tombstone (null value) stays until its batch's delete
//   horizon, stamped (now + delete.retention.ms) the first time a clean keeps
//   it and passed at a later clean. Offsets are kept, with gaps.
// - A batch keeps its bytes when all of it stays and needs no horizon, else
//   it is rebuilt with the records that stay, its last offset kept; an emptied
//   batch is dropped, unless it is an active producer's last or the last of
//   the round (kept as an empty header, as Kafka keeps them).
// - Records of aborted transactions go; transaction markers are kept.
//   (Kafka removes a marker once its transaction's records are gone and its
//   horizon passed: kafkalite keeps markers.)
// - Cleaned segments are merged while they fit segment.bytes (and 64 MiB, a
//   bound on one write), each group written in one WriteBatch with its
//   blocks' new figures; the checkpoint moves with the last group.
#include <spdlog/spdlog.h>

#include <map>
#include <string>

#include "broker/log/partition_log.h"
#include "broker/storage/keys.h"
#include "common/text.h"

namespace kafkalite::log {

namespace keys = storage::keys;

namespace {

constexpr int64_t kMaxGroupBytes = 64 << 20;

std::string key_of(const wire::NullableBytes& key) { return std::string(key->begin(), key->end()); }

}  // namespace

CleanResult PartitionLog::clean(const CleanerRules& rules, int64_t now_ms) {
  CleanResult result;
  const auto segs = segments();
  if (segs.size() < 2) return result;  // only the active segment
  int64_t first_dirty = state_.cleaned_to;
  if (first_dirty < state_.log_start_offset || first_dirty > state_.next_offset) first_dirty = state_.log_start_offset;
  int64_t first_uncleanable = std::min(last_stable_offset(), segs.back().base);
  for (size_t i = 0; i + 1 < segs.size() && rules.min_compaction_lag_ms > 0; ++i) {
    if (segs[i].last_offset < first_dirty) continue;
    const int64_t newest = segs[i].max_timestamp >= 0 ? segs[i].max_timestamp : segs[i].last_append_ms;
    if (newest > now_ms - rules.min_compaction_lag_ms) {
      first_uncleanable = std::min(first_uncleanable, segs[i].base);
      break;
    }
  }
  // Kafka's LogToClean: the bytes of the segments before and in the dirty range.
  int64_t clean_bytes = 0, dirty_bytes = 0;
  bool forced = false;
  for (size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.last_offset < state_.log_start_offset) continue;
    if (seg.base < first_dirty) clean_bytes += seg.bytes;
    if (seg.last_offset >= first_dirty && seg.base < first_uncleanable) {
      dirty_bytes += seg.bytes;
      if (i + 1 < segs.size() && rules.max_compaction_lag_ms < INT64_MAX && seg.first_timestamp >= 0 &&
          seg.first_timestamp < now_ms - rules.max_compaction_lag_ms) {
        forced = true;
      }
    }
  }
  const double ratio =
      clean_bytes + dirty_bytes > 0 ? static_cast<double>(dirty_bytes) / static_cast<double>(clean_bytes + dirty_bytes) : 0;
  if (dirty_bytes == 0 || first_uncleanable <= first_dirty || !(ratio > rules.min_cleanable_dirty_ratio || forced)) {
    return result;
  }

  // Aborted transactions' records are left out of the map and removed.
  const auto aborted = aborted_transactions(state_.log_start_offset, first_uncleanable);
  auto is_aborted = [&](const records::BatchHeader& h) {
    if (!h.is_transactional() || h.is_control()) return false;
    for (const auto& a : aborted) {
      if (a.producer_id == h.producer_id && a.first_offset <= h.base_offset && h.base_offset <= a.last_offset) return true;
    }
    return false;
  };

  // The map of each key's latest offset over the dirty range, a segment at a time.
  std::map<std::string, int64_t> latest;
  int64_t map_bytes = 0, latest_offset = -1;
  for (const auto& seg : segs) {
    if (seg.last_offset < first_dirty || seg.base >= first_uncleanable) continue;
    std::map<std::string, int64_t> segment_keys;
    int64_t segment_latest = -1;
    for_each_batch_from(std::max(seg.base, first_dirty), [&](std::string_view value, const records::BatchHeader& h) {
      if (h.base_offset > seg.last_offset || h.base_offset >= first_uncleanable) return false;
      segment_latest = std::max(segment_latest, h.last_offset());
      if (h.is_control() || is_aborted(h) || h.last_offset() < first_dirty) return true;
      records::RecordsError error;
      auto decoded = records::decode_records({h, text::bytes_of(value)}, error, /*as_produced=*/false);
      for (const auto& r : decoded.value_or(std::vector<records::Record>{})) {
        const int64_t offset = h.base_offset + r.offset_delta;
        if (r.key && offset >= first_dirty) segment_keys[key_of(r.key)] = offset;
      }
      return true;
    });
    int64_t added = 0;
    for (const auto& [k, o] : segment_keys) added += latest.count(k) ? 0 : static_cast<int64_t>(k.size()) + 24;
    if (latest_offset >= 0 && map_bytes + added > rules.dedupe_bytes) break;  // full: clean what is mapped
    map_bytes += added;
    for (auto& [k, o] : segment_keys) latest[k] = o;
    latest_offset = std::max(latest_offset, segment_latest);
  }
  if (latest_offset < 0) return result;
  const int64_t end_offset = latest_offset + 1;

  // Each active producer's last data batch (its sequence state) stays.
  std::map<int64_t, int64_t> producer_last;
  for (const auto& [id, state] : producers_) {
    if (!state.batches.empty()) producer_last[id] = state.batches.back().last_offset;
  }

  result.first_dirty = first_dirty;
  result.end_offset = end_offset;
  result.bytes_before = state_.size_bytes;
  // Segments below the map's end, grouped as Kafka merges them.
  std::vector<std::vector<SegmentFigures>> groups;
  int64_t group_bytes = 0;  // of the last group
  for (const auto& seg : segs) {
    if (seg.last_offset < state_.log_start_offset) continue;
    if (seg.base >= end_offset) break;
    if (groups.empty() || group_bytes + seg.bytes > std::min(rules.segment_bytes, kMaxGroupBytes)) {
      groups.emplace_back();
      group_bytes = 0;
    }
    groups.back().push_back(seg);
    group_bytes += seg.bytes;
  }
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& group = groups[gi];
    storage::WriteBatch write;
    State next = state_;
    int64_t removed = 0;
    // The group's batches, filtered, and the figures of its new blocks.
    std::map<int64_t, Block> new_blocks;
    Block current;
    bool open = false;
    auto account = [&](int64_t base, int64_t last, int64_t bytes, int64_t max_ts, int64_t max_ts_offset,
                       int64_t appended_ms) {
      if (!open || current.bytes >= kIndexBlockBytes) {
        if (open) new_blocks[current.first_offset] = current;
        current = Block{};
        current.first_offset = base;
        current.segment_base = group.front().base;
        current.segment_first_timestamp = group.front().first_timestamp;
        current.segment_created_ms = appended_ms;
        current.segment_bytes = open ? new_blocks.rbegin()->second.segment_bytes : 0;
        open = true;
      }
      current.last_offset = last;
      current.bytes += bytes;
      current.segment_bytes += bytes;
      current.last_append_ms = std::max(current.last_append_ms, appended_ms);
      if (max_ts > current.max_timestamp) {
        current.max_timestamp = max_ts;
        current.max_timestamp_offset = max_ts_offset;
      }
    };
    const int64_t from = std::max(group.front().base, state_.log_start_offset);
    const int64_t to = group.back().last_offset;
    for_each_batch_from(from, [&](std::string_view value, const records::BatchHeader& h) {
      if (h.base_offset > to) return false;
      if (h.last_offset() < state_.log_start_offset) return true;
      auto block = block_of(h.base_offset);
      const int64_t appended_ms = block == blocks_.end() ? now_ms : block->second.last_append_ms;
      const bool discard = is_aborted(h);
      const bool retain_empty =
          (h.producer_id >= 0 && producer_last.count(h.producer_id) && producer_last[h.producer_id] == h.last_offset()) ||
          h.last_offset() + 1 == end_offset;
      const bool has_horizon = (h.attributes & 0x40) != 0;
      records::RecordsError error;
      auto decoded = records::decode_records({h, text::bytes_of(value)}, error, /*as_produced=*/false);
      if (!decoded) return true;  // kept as it is
      std::vector<const records::Record*> kept;
      bool tombstones = false;
      for (const auto& r : *decoded) {
        const int64_t offset = h.base_offset + r.offset_delta;
        bool keep;
        if (discard) {
          keep = false;
        } else if (h.is_control() || offset > latest_offset) {
          keep = true;
        } else if (!r.key) {
          keep = false;
        } else {
          auto it = latest.find(key_of(r.key));
          const bool newest = it == latest.end() || offset >= it->second;
          const bool retain_deletes = !has_horizon || now_ms < h.base_timestamp;
          keep = newest && (r.value || retain_deletes);
        }
        if (keep) {
          kept.push_back(&r);
          tombstones |= !r.value && !h.is_control();
        }
      }
      removed += static_cast<int64_t>(decoded->size() - kept.size());
      const bool needs_horizon = tombstones && !has_horizon;
      if (kept.size() == decoded->size() && !needs_horizon) {
        account(h.base_offset, h.last_offset(), static_cast<int64_t>(value.size()), h.max_timestamp,
                h.base_offset, appended_ms);
        return true;  // unchanged
      }
      next.size_bytes -= static_cast<int64_t>(value.size());
      write.remove(keys::batch(topic_id_, partition_, h.base_offset));
      if (kept.empty() && !retain_empty) return true;
      records::BatchBuilder b;
      b.base_offset = h.base_offset;
      b.compression = kept.empty() ? records::Compression::kNone : h.compression();
      b.timestamp_type = h.timestamp_type();
      b.producer_id = h.producer_id;
      b.producer_epoch = h.producer_epoch;
      b.base_sequence = h.base_sequence;
      b.partition_leader_epoch = h.partition_leader_epoch;
      b.transactional = h.is_transactional();
      b.control = h.is_control();
      b.last_offset_delta = static_cast<int32_t>(h.last_offset() - h.base_offset);
      if (kept.empty()) {
        b.base_timestamp = -1;
        b.max_timestamp = h.max_timestamp;
      } else {
        b.delete_horizon_ms = needs_horizon ? now_ms + rules.delete_retention_ms : (has_horizon ? h.base_timestamp : -1);
        if (h.timestamp_type() == records::TimestampType::kLogAppendTime) b.max_timestamp = h.max_timestamp;
      }
      int64_t max_ts = -1, max_ts_offset = h.base_offset;
      for (const auto* r : kept) {
        const int64_t ts = h.base_timestamp + r->timestamp_delta;
        if (ts > max_ts) max_ts = ts, max_ts_offset = h.base_offset + r->offset_delta;
        b.add_at(r->offset_delta, ts, r->key, r->value, r->headers);
      }
      const wire::Bytes rebuilt = b.build();
      next.size_bytes += static_cast<int64_t>(rebuilt.size());
      write.put(keys::batch(topic_id_, partition_, h.base_offset), rebuilt);
      account(h.base_offset, h.last_offset(), static_cast<int64_t>(rebuilt.size()),
              kept.empty() ? h.max_timestamp : max_ts, max_ts_offset, appended_ms);
      return true;
    });
    if (open) new_blocks[current.first_offset] = current;
    // The group's old blocks give way to the new ones.
    std::vector<int64_t> old_blocks;
    for (auto it = blocks_.lower_bound(group.front().base); it != blocks_.end() && it->first <= to; ++it) {
      old_blocks.push_back(it->first);
      write.remove(keys::index_block(topic_id_, partition_, it->first));
    }
    for (const auto& [first, block] : new_blocks) put_block(write, block);
    if (gi + 1 == groups.size()) next.cleaned_to = end_offset;
    put_state(write, next);
    if (auto failed = store_.apply(write)) {
      spdlog::error("Cleaning of partition {} stopped: {}", partition_, failed->message);
      return result;
    }
    state_ = next;
    for (int64_t first : old_blocks) blocks_.erase(first);
    for (const auto& [first, block] : new_blocks) blocks_[first] = block;
    result.records_removed += removed;
  }
  result.cleaned = true;
  result.bytes_after = state_.size_bytes;
  return result;
}

}  // namespace kafkalite::log
