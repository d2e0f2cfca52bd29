#include "broker/log/partition_log.h"

#include <algorithm>
#include <array>
#include <optional>

#include "broker/storage/keys.h"
#include "common/text.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::log {

using protocol::ErrorCode;
namespace keys = storage::keys;

namespace {

constexpr int16_t kStateFormat = 2;  // 1 (read too): without the cleaner's checkpoint
constexpr int16_t kBlockFormat = 2;  // 1 (read too): without the segment fields
constexpr int16_t kAbortedTxnFormat = 0;
constexpr int16_t kLeaderEpochsFormat = 0;

std::string to_string(const wire::Writer& w) { return std::string(w.bytes().begin(), w.bytes().end()); }

// The timestamp of each record of a stored batch, with its offset, until
// `visit` returns false.
template <typename Visit>
void for_each_record_timestamp(std::string_view stored, const records::BatchHeader& h, Visit&& visit) {
  records::RecordsError error;
  auto decoded = records::decode_records({h, text::bytes_of(stored)}, error, /*as_produced=*/false);
  if (!decoded) return;
  for (const auto& record : *decoded) {
    const int64_t ts = h.timestamp_type() == records::TimestampType::kLogAppendTime
                           ? h.max_timestamp
                           : h.base_timestamp + record.timestamp_delta;
    if (!visit(h.base_offset + record.offset_delta, ts)) return;
  }
}

}  // namespace

PartitionLog::PartitionLog(storage::KvStore& store, const wire::Uuid& topic_id, int32_t partition)
    : store_(store), topic_id_(topic_id), partition_(partition) {
  if (auto stored = store_.get(keys::partition_state(topic_id, partition))) {
    wire::Reader r(text::bytes_of(*stored));
    const int16_t format = r.read_int16();
    if (format == kStateFormat || format == 1) {
      state_.log_start_offset = r.read_int64();
      state_.next_offset = r.read_int64();
      state_.size_bytes = r.read_int64();
      if (format == kStateFormat) state_.cleaned_to = r.read_int64();
    }
  }
  store_.scan(keys::producers_begin(topic_id, partition), keys::producers_end(topic_id, partition),
              [this](std::string_view key, std::string_view value) {
                if (auto state = ProducerState::parse(value)) {
                  const int64_t id = keys::producer_id_of(key);
                  if (state->txn_first_offset >= 0) open_txns_[state->txn_first_offset] = id;
                  producers_[id] = std::move(*state);
                }
                return true;
              });
  if (auto stored = store_.get(keys::leader_epochs(topic_id, partition))) {
    wire::Reader r(text::bytes_of(*stored));
    if (r.read_int16() == kLeaderEpochsFormat) {
      const int32_t epoch = r.read_int32();
      std::map<int32_t, int64_t> entries;
      const int32_t count = r.read_int32();
      for (int32_t i = 0; i < count && r.ok(); ++i) {
        const int32_t e = r.read_int32();
        entries[e] = r.read_int64();
      }
      if (r.ok()) {
        leader_epoch_ = epoch;
        epochs_ = std::move(entries);
      }
    }
  }
  store_.scan(keys::index_blocks_begin(topic_id, partition), keys::index_blocks_end(topic_id, partition),
              [this](std::string_view key, std::string_view value) {
                wire::Reader r(text::bytes_of(value));
                const int16_t format = r.read_int16();
                if (format != kBlockFormat && format != 1) return true;
                Block b;
                b.first_offset = keys::index_block_offset(key);
                b.last_offset = r.read_int64();
                b.bytes = r.read_int64();
                b.max_timestamp = r.read_int64();
                b.max_timestamp_offset = r.read_int64();
                b.last_append_ms = r.read_int64();
                if (format == 1) {  // each block its own segment
                  b.segment_base = b.first_offset;
                  b.segment_first_timestamp = b.max_timestamp;
                  b.segment_created_ms = b.last_append_ms;
                  b.segment_bytes = b.bytes;
                } else {
                  b.segment_base = r.read_int64();
                  b.segment_first_timestamp = r.read_int64();
                  b.segment_created_ms = r.read_int64();
                  b.segment_bytes = r.read_int64();
                }
                if (r.ok()) blocks_[b.first_offset] = b;
                return true;
              });
}

void PartitionLog::put_state(storage::WriteBatch& batch, const State& state) const {
  wire::Writer w;
  w.write_int16(kStateFormat);
  w.write_int64(state.log_start_offset);
  w.write_int64(state.next_offset);
  w.write_int64(state.size_bytes);
  w.write_int64(state.cleaned_to);
  batch.put(keys::partition_state(topic_id_, partition_), to_string(w));
}

void PartitionLog::put_block(storage::WriteBatch& batch, const Block& block) const {
  wire::Writer w;
  w.write_int16(kBlockFormat);
  w.write_int64(block.last_offset);
  w.write_int64(block.bytes);
  w.write_int64(block.max_timestamp);
  w.write_int64(block.max_timestamp_offset);
  w.write_int64(block.last_append_ms);
  w.write_int64(block.segment_base);
  w.write_int64(block.segment_first_timestamp);
  w.write_int64(block.segment_created_ms);
  w.write_int64(block.segment_bytes);
  batch.put(keys::index_block(topic_id_, partition_, block.first_offset), to_string(w));
}

std::map<int64_t, PartitionLog::Block>::const_iterator PartitionLog::block_of(int64_t offset) const {
  auto it = blocks_.upper_bound(offset);
  if (it == blocks_.begin()) return blocks_.end();
  --it;
  return offset <= it->second.last_offset ? it : blocks_.end();
}

PartitionLog::Block PartitionLog::next_block(int64_t first_offset, int64_t last_offset, int64_t bytes,
                                             int64_t max_timestamp, int64_t now_ms, const SegmentRules& rules) const {
  Block block;
  bool roll = blocks_.empty();
  if (!roll) {
    const Block& active = blocks_.rbegin()->second;
    // Kafka's LogSegment.shouldRoll: full, or its time is up (by record
    // timestamps from its first batch's, else by the clock since it rolled).
    const int64_t waited = active.segment_first_timestamp >= 0 ? max_timestamp - active.segment_first_timestamp
                                                                : now_ms - active.segment_created_ms;
    roll = active.segment_bytes > rules.bytes - bytes || (active.segment_bytes > 0 && waited > rules.roll_ms);
  }
  if (roll) {
    block.first_offset = first_offset;
    block.segment_base = first_offset;
    block.segment_first_timestamp = max_timestamp;
    block.segment_created_ms = now_ms;
  } else if (blocks_.rbegin()->second.bytes < kIndexBlockBytes) {
    block = blocks_.rbegin()->second;
  } else {
    const Block& active = blocks_.rbegin()->second;
    block.first_offset = first_offset;
    block.segment_base = active.segment_base;
    block.segment_first_timestamp = active.segment_first_timestamp;
    block.segment_created_ms = active.segment_created_ms;
    block.segment_bytes = active.segment_bytes;
  }
  block.last_offset = last_offset;
  block.bytes += bytes;
  block.segment_bytes += bytes;
  block.last_append_ms = now_ms;
  return block;
}

AppendResult PartitionLog::append(std::span<const uint8_t> batch, const records::BatchHeader& header,
                                  int64_t log_append_time, int64_t now_ms, int32_t max_timestamp_delta,
                                  const SegmentRules& rules) {
  AppendResult result;
  if (header.producer_id >= 0) {
    auto it = producers_.find(header.producer_id);
    auto check = check_sequence(it == producers_.end() ? nullptr : &it->second, header);
    // Kafka (ProducerAppendInfo): a plain batch from a producer whose
    // transaction is open here is refused.
    if (check.error == ErrorCode::None && !check.duplicate_of && !header.is_transactional() &&
        it != producers_.end() && it->second.txn_first_offset >= 0) {
      check.error = ErrorCode::InvalidTxnState;
      check.message = "Expected transactional write from producer " + std::to_string(header.producer_id) +
                      " at offset " + std::to_string(state_.next_offset) + " in partition " +
                      std::to_string(partition_);
    }
    if (check.error != ErrorCode::None) {
      result.error = check.error;
      result.message = std::move(check.message);
      return result;
    }
    if (check.duplicate_of) {
      // Kafka answers a duplicate with the original batch's offsets and, as
      // its log append time, the timestamp it recorded for that batch.
      result.base_offset = check.duplicate_of->first_offset;
      result.log_append_time = check.duplicate_of->max_timestamp;
      return result;
    }
  }
  storage::WriteBatch write;
  StagedAppend staged = stage_append(batch, header, log_append_time, now_ms, max_timestamp_delta, rules, write);
  if (auto failed = store_.apply(write)) {
    result.error = ErrorCode::KafkaStorageError;
    result.message = failed->message;
    return result;
  }
  const int64_t base = staged.base;
  apply_staged(std::move(staged));
  result.base_offset = base;
  if (log_append_time >= 0) result.log_append_time = log_append_time;
  return result;
}

PartitionLog::StagedAppend PartitionLog::stage_append(std::span<const uint8_t> batch, const records::BatchHeader& header,
                                                      int64_t log_append_time, int64_t now_ms,
                                                      int32_t max_timestamp_delta, const SegmentRules& rules,
                                                      storage::WriteBatch& write) const {
  StagedAppend staged;
  const int64_t base = state_.next_offset;
  staged.base = base;
  wire::Bytes stored(batch.begin(), batch.end());
  records::set_base_offset(stored, base);
  records::set_partition_leader_epoch(stored, leader_epoch_);
  records::BatchHeader appended = header;
  appended.base_offset = base;
  if (log_append_time >= 0) {
    records::set_log_append_time(stored, log_append_time);
    appended.max_timestamp = log_append_time;
  }
  // Everything this append changes is computed first and stored before any
  // of it reaches memory: a failed write leaves the partition as it was.
  staged.state = state_;
  staged.state.next_offset = appended.last_offset() + 1;
  staged.state.size_bytes += static_cast<int64_t>(stored.size());
  staged.block =
      next_block(base, appended.last_offset(), static_cast<int64_t>(stored.size()), appended.max_timestamp, now_ms, rules);
  if (appended.max_timestamp > staged.block.max_timestamp) {
    staged.block.max_timestamp = appended.max_timestamp;
    staged.block.max_timestamp_offset = base + (log_append_time >= 0 ? 0 : max_timestamp_delta);
  }
  write.put(keys::batch(topic_id_, partition_, base), stored);
  if (header.producer_id >= 0) {
    auto it = producers_.find(header.producer_id);
    staged.producer_id = header.producer_id;
    staged.producer = it == producers_.end() ? ProducerState{} : it->second;
    record_batch(*staged.producer, appended, base);
    // A transaction's first batch here opens it.
    if (header.is_transactional() && staged.producer->txn_first_offset < 0) staged.producer->txn_first_offset = base;
    write.put(keys::producer(topic_id_, partition_, header.producer_id), staged.producer->serialize());
  }
  put_block(write, staged.block);
  put_state(write, staged.state);
  return staged;
}

void PartitionLog::apply_staged(StagedAppend&& staged) {
  state_ = staged.state;
  blocks_[staged.block.first_offset] = staged.block;
  if (staged.producer) {
    if (staged.producer->txn_first_offset == staged.base) open_txns_[staged.base] = staged.producer_id;
    producers_[staged.producer_id] = std::move(*staged.producer);
  }
}

size_t PartitionLog::read(int64_t offset, size_t max_bytes, bool at_least_one, wire::Records& out,
                          int64_t max_offset, int64_t* end_offset) const {
  // As Kafka reads a segment: a raw slice of up to max_bytes from the batch
  // holding `offset`, widened to that whole batch when `at_least_one`; a
  // slice that cannot hold that first batch is dropped (Kafka answers it
  // with no records).
  // A read stays within one segment, as Kafka's: the segment of the first
  // batch it takes.
  // Only the bytes sent are read: a batch is read in part when the slice
  // cuts it, and the batch below `offset` only as far as its header.
  // Batches next to each other in a value file are taken as one range of
  // it: sent from the file when large (as Kafka sends from its segment
  // files), else read in one system call, however many batches it holds.
  if (!out.data) out.data.emplace();
  wire::Bytes& data = *out.data;
  size_t taken = 0;
  size_t limit = max_bytes;
  int64_t segment_end = INT64_MAX;
  if (offset >= state_.next_offset) return 0;  // no batch holds it
  std::optional<wire::FileBytes> range;      // batches taken from a file, not yet placed in `out`
  std::optional<wire::FileBytes> last_head;  // the header of the last batch taken, when in a file
  std::optional<size_t> last_head_at;        // where in `data` it was read to, if it was
  bool cut_short = false;
  auto place_range = [&] {
    if (!range) return;
    if (range->length >= kSendFromFileBytes) {
      out.files.push_back({data.size(), std::move(*range)});
    } else if (const size_t at = data.size(); !range->append_to(data)) {
      cut_short = true;
    } else if (last_head && last_head->file == range->file && last_head->offset >= range->offset &&
               last_head->offset + last_head->length <= range->offset + range->length) {
      last_head_at = at + (last_head->offset - range->offset);
    }
    range.reset();
  };
  for_each_stored_batch_from(offset, [&](int64_t base, const storage::StoredValue& value) {
    if (base < offset) {  // the floor batch: it may end before offset
      const auto h = read_header(value);
      if (!h || h->last_offset() < offset) return true;
    }
    if (base >= max_offset || base >= segment_end) return false;
    if (segment_end == INT64_MAX) segment_end = end_of_segment(base);
    const size_t size = value.size();
    if (taken == 0 && at_least_one) limit = std::max(limit, size);
    if (taken == 0 && size > limit) return false;
    const size_t n = std::min(size, limit - taken);
    if (auto file = value.file_bytes(n)) {
      last_head = wire::FileBytes{file->file, file->offset, std::min(size, records::kBatchHeaderSize)};
      last_head_at.reset();
      if (range && range->file == file->file && range->offset + range->length == file->offset) {
        range->length += file->length;
      } else {
        place_range();
        range = std::move(*file);
      }
      if (end_offset) *end_offset = base + 1;  // until its header is read, below
    } else {
      place_range();
      last_head.reset();
      last_head_at.reset();
      // Room for what this read can still take, grown in steps no larger
      // than a batch or 1 MiB, so a small read of a large limit stays small.
      if (data.capacity() - data.size() < n) {
        data.reserve(data.size() + std::max(n, std::min<size_t>(limit - taken, 1 << 20)));
      }
      // The header too when the slice cuts into it: it says where the batch ends.
      const size_t at = data.size();
      if (!value.append_to(data, std::max(n, std::min(size, records::kBatchHeaderSize)))) return true;  // gone
      records::RecordsError ignored;
      const auto h = records::peek_batch_header({data.data() + at, data.size() - at}, ignored);
      data.resize(at + n);
      if (end_offset) *end_offset = (h ? h->last_offset() : base) + 1;
    }
    taken += n;
    return taken < limit;
  });
  place_range();
  // Where the last batch taken ends (read_committed fetches ask).
  // Its header is read from the file only when it was not read in with it.
  if (end_offset && last_head && !cut_short) {
    std::array<uint8_t, records::kBatchHeaderSize> head{};
    const uint8_t* bytes = head.data();
    if (last_head_at) {
      bytes = data.data() + *last_head_at;
    } else {
      cut_short = !last_head->read_into(head.data());
    }
    records::RecordsError ignored;
    if (auto h = records::peek_batch_header({bytes, last_head->length}, ignored)) *end_offset = h->last_offset() + 1;
  }
  if (cut_short) file_cut_short();
  return taken;
}

size_t PartitionLog::read(int64_t offset, size_t max_bytes, bool at_least_one, wire::Bytes& out,
                          int64_t max_offset, int64_t* end_offset) const {
  wire::Records records;
  const size_t taken = read(offset, max_bytes, at_least_one, records, max_offset, end_offset);
  if (records.files.empty()) {
    out.insert(out.end(), records.data->begin(), records.data->end());
  } else if (auto whole = records.whole()) {
    out.insert(out.end(), whole->begin(), whole->end());
  } else {
    file_cut_short();
  }
  return taken;
}

void PartitionLog::file_cut_short() const {
  const std::string reason = "a record batch file of partition " + std::to_string(partition_) + " of topic id " +
                             topic_id_.to_base64() + " is shorter than the log says";
  store_.fail(storage::Access::kReading, reason);
  throw storage::ReadError(reason);
}

std::optional<records::BatchHeader> PartitionLog::read_header(const storage::StoredValue& value) {
  std::array<uint8_t, records::kBatchHeaderSize> head{};
  const size_t n = std::min(value.size(), head.size());
  if (!value.read(n, head.data())) return std::nullopt;
  records::RecordsError ignored;
  return records::peek_batch_header({head.data(), n}, ignored);
}

std::vector<AbortedTxn> PartitionLog::aborted_transactions(int64_t fetch_offset, int64_t upper_bound) const {
  // Entries are keyed by their marker's offset: those ending at or after the
  // fetch offset, until one whose last stable offset reaches the bound.
  std::vector<AbortedTxn> out;
  if (!last_aborted_marker_) {
    last_aborted_marker_ = -1;
    store_.scan_from_floor(keys::aborted_txns_begin(topic_id_, partition_),
                           keys::aborted_txn(topic_id_, partition_, INT64_MAX), keys::aborted_txns_end(topic_id_, partition_),
                           [&](std::string_view key, const storage::StoredValue&) {
                             last_aborted_marker_ = keys::aborted_txn_offset(key);
                             return false;
                           });
  }
  if (*last_aborted_marker_ < fetch_offset) return out;
  store_.scan(keys::aborted_txn(topic_id_, partition_, std::max<int64_t>(fetch_offset, 0)),
              keys::aborted_txns_end(topic_id_, partition_), [&](std::string_view key, std::string_view value) {
                wire::Reader r(text::bytes_of(value));
                if (r.read_int16() != kAbortedTxnFormat) return true;
                AbortedTxn txn;
                txn.last_offset = keys::aborted_txn_offset(key);
                txn.producer_id = r.read_int64();
                txn.first_offset = r.read_int64();
                txn.last_stable_offset = r.read_int64();
                if (!r.ok()) return true;
                if (txn.first_offset < upper_bound) out.push_back(txn);
                return txn.last_stable_offset < upper_bound;
              });
  return out;
}

PartitionLog::StagedMarker PartitionLog::stage_marker(int64_t producer_id, int16_t producer_epoch,
                                                      int32_t coordinator_epoch, bool commit, int64_t now_ms,
                                                      storage::WriteBatch& write, const SegmentRules& rules) const {
  StagedMarker staged;
  staged.offset = state_.next_offset;
  staged.producer_id = producer_id;
  // Kafka's control batch: one record, key (version 0, type 0 ABORT or 1
  // COMMIT), value EndTransactionMarker (version 0, coordinator epoch).
  records::BatchBuilder builder;
  builder.base_offset = staged.offset;
  builder.base_timestamp = now_ms;
  builder.producer_id = producer_id;
  builder.producer_epoch = producer_epoch;
  builder.partition_leader_epoch = leader_epoch_;
  builder.transactional = true;
  builder.control = true;
  wire::Writer key;
  key.write_int16(0);
  key.write_int16(commit ? 1 : 0);
  wire::Writer value;
  value.write_int16(0);
  value.write_int32(coordinator_epoch);
  builder.add(now_ms, key.bytes(), value.bytes());
  const wire::Bytes batch = builder.build();
  write.put(keys::batch(topic_id_, partition_, staged.offset), batch);

  staged.state = state_;
  staged.state.next_offset = staged.offset + 1;
  staged.state.size_bytes += static_cast<int64_t>(batch.size());
  staged.block = next_block(staged.offset, staged.offset, static_cast<int64_t>(batch.size()), now_ms, now_ms, rules);
  if (now_ms > staged.block.max_timestamp) {
    staged.block.max_timestamp = now_ms;
    staged.block.max_timestamp_offset = staged.offset;
  }
  auto it = producers_.find(producer_id);
  staged.producer = it == producers_.end() ? ProducerState{} : it->second;
  // A marker carries the producer's epoch (bumped by transaction version
  // 2), which starts its sequence numbers again.
  if (producer_epoch != staged.producer.epoch) staged.producer.batches.clear();
  staged.producer.epoch = producer_epoch;
  staged.producer.coordinator_epoch = coordinator_epoch;
  staged.producer.last_timestamp = now_ms;
  staged.closed_first = staged.producer.txn_first_offset;
  staged.producer.txn_first_offset = -1;
  if (!commit && staged.closed_first >= 0) {
    // The last stable offset once this transaction is closed: the oldest
    // other open transaction's first offset, else past the marker.
    int64_t lso = staged.offset + 1;
    for (const auto& [first, id] : open_txns_) {
      if (id != producer_id) {
        lso = first;
        break;
      }
    }
    wire::Writer entry;
    entry.write_int16(kAbortedTxnFormat);
    entry.write_int64(producer_id);
    entry.write_int64(staged.closed_first);
    entry.write_int64(lso);
    write.put(keys::aborted_txn(topic_id_, partition_, staged.offset), to_string(entry));
    staged.aborted = true;
  }
  write.put(keys::producer(topic_id_, partition_, producer_id), staged.producer.serialize());
  put_block(write, staged.block);
  put_state(write, staged.state);
  return staged;
}

void PartitionLog::apply_staged(StagedMarker&& staged) {
  state_ = staged.state;
  blocks_[staged.block.first_offset] = staged.block;
  if (staged.closed_first >= 0) open_txns_.erase(staged.closed_first);
  producers_[staged.producer_id] = std::move(staged.producer);
  if (staged.aborted && last_aborted_marker_) last_aborted_marker_ = std::max(*last_aborted_marker_, staged.offset);
}

TimestampLookup PartitionLog::offset_for_timestamp(int64_t timestamp) const {
  // The first block that reaches `timestamp`, then the first record in it.
  for (auto it = block_of(state_.log_start_offset); it != blocks_.end(); ++it) {
    const Block& block = it->second;
    if (block.max_timestamp < timestamp) continue;
    TimestampLookup found;
    for_each_batch_from(std::max(block.first_offset, state_.log_start_offset),
                        [&](std::string_view value, const records::BatchHeader& h) {
                          if (h.base_offset > block.last_offset) return false;
                          if (h.max_timestamp < timestamp) return true;
                          for_each_record_timestamp(value, h, [&](int64_t offset, int64_t ts) {
                            if (offset < state_.log_start_offset || ts < timestamp) return true;
                            found = {ts, offset, h.partition_leader_epoch >= 0 ? h.partition_leader_epoch : -1};
                            return false;
                          });
                          return found.offset < 0;
                        });
    if (found.offset >= 0) return found;
  }
  return {};
}

TimestampLookup PartitionLog::max_timestamp() const {
  if (state_.next_offset == state_.log_start_offset) return {};
  // Over every block still kept, below the log start too: Kafka answers from
  // every segment it still has.
  const Block* best = nullptr;
  for (const auto& [first, block] : blocks_) {
    if (!best || block.max_timestamp > best->max_timestamp) best = &block;
  }
  // No record carries a timestamp: Kafka answers -1 at the first record.
  if (!best || best->max_timestamp < 0) return {-1, state_.log_start_offset, batch_epoch_at(state_.log_start_offset)};
  return {best->max_timestamp, best->max_timestamp_offset, batch_epoch_at(best->max_timestamp_offset)};
}

storage::WriteResult PartitionLog::delete_before(int64_t offset, bool drop_segments) {
  if (offset < state_.log_start_offset) return std::nullopt;
  storage::WriteBatch write;
  State next = state_;
  for_each_batch_from(state_.log_start_offset, [&](std::string_view value, const records::BatchHeader& h) {
    if (h.last_offset() >= offset) return false;
    write.remove(keys::batch(topic_id_, partition_, h.base_offset));
    next.size_bytes -= static_cast<int64_t>(value.size());
    return true;
  });
  next.log_start_offset = offset;
  // Aborted transactions whose marker is gone go with it.
  write.remove_range(keys::aborted_txns_begin(topic_id_, partition_), keys::aborted_txn(topic_id_, partition_, offset));
  // DeleteRecords leaves the segments (and their figures) as they are, as
  // Kafka's stay until its retention check; retention drops the segments
  // wholly below the new start (it only ever starts the log at a segment's
  // base, or at the end).
  std::vector<int64_t> gone;
  for (auto it = blocks_.begin(); drop_segments && it != blocks_.end() && it->second.last_offset < offset; ++it) {
    gone.push_back(it->first);
    write.remove(keys::index_block(topic_id_, partition_, it->first));
  }
  if (offset == state_.log_start_offset && gone.empty()) return std::nullopt;  // nothing to do
  put_state(write, next);
  if (auto failed = store_.apply(write)) return failed;
  state_ = next;
  for (int64_t first : gone) blocks_.erase(first);
  return std::nullopt;
}

int64_t PartitionLog::end_of_segment(int64_t offset) const {
  auto it = block_of(offset);
  if (it == blocks_.end()) return INT64_MAX;
  const int64_t base = it->second.segment_base;
  for (; it != blocks_.end(); ++it) {
    if (it->second.segment_base != base) return it->first;
  }
  return INT64_MAX;
}

std::vector<int64_t> PartitionLog::segment_bases() const {
  std::vector<int64_t> out;
  for (const auto& seg : segments()) out.push_back(seg.base);
  return out;
}

std::vector<PartitionLog::SegmentFigures> PartitionLog::segments() const {
  std::vector<SegmentFigures> out;
  for (const auto& [first, block] : blocks_) {
    if (out.empty() || out.back().base != block.segment_base) {
      out.push_back({block.segment_base});
      out.back().first_timestamp = block.segment_first_timestamp;
    }
    SegmentFigures& seg = out.back();
    seg.last_offset = block.last_offset;
    seg.bytes += block.bytes;
    seg.max_timestamp = std::max(seg.max_timestamp, block.max_timestamp);
    seg.last_append_ms = std::max(seg.last_append_ms, block.last_append_ms);
  }
  return out;
}

size_t PartitionLog::enforce_retention(int64_t older_than, int64_t max_bytes, bool delete_policy) {
  const std::vector<SegmentFigures> segments = this->segments();
  int64_t total = 0;
  for (const auto& seg : segments) total += seg.bytes;
  // Kafka's three passes, each from the oldest segment left, each stopping
  // at the first segment it keeps.
  size_t next = 0;
  auto pass = [&](auto&& deletable) {
    while (next < segments.size() && deletable(segments[next])) ++next;
  };
  if (delete_policy && older_than >= 0) {
    pass([&](const SegmentFigures& seg) {
      return (seg.max_timestamp >= 0 ? seg.max_timestamp : seg.last_append_ms) < older_than;
    });
  }
  if (delete_policy && max_bytes >= 0) {
    int64_t over = total - max_bytes;
    for (size_t i = 0; i < next; ++i) over -= segments[i].bytes;
    pass([&](const SegmentFigures& seg) {
      if (over - seg.bytes < 0) return false;
      over -= seg.bytes;
      return true;
    });
  }
  pass([&](const SegmentFigures& seg) { return seg.last_offset < state_.log_start_offset; });
  if (next == 0) return 0;
  // Past the last segment deleted: the next one's base, or the log end
  // (Kafka rolls an empty segment there first).
  const int64_t start = next < segments.size() ? segments[next].base : state_.next_offset;
  if (delete_before(std::max(start, state_.log_start_offset), /*drop_segments=*/true)) return 0;
  return next;
}

size_t PartitionLog::expire_producers(int64_t now_ms, int64_t expiration_ms) {
  storage::WriteBatch write;
  std::vector<int64_t> expired;
  for (const auto& [id, state] : producers_) {
    // A producer with a transaction open here never expires (Kafka's rule).
    if (state.txn_first_offset < 0 && now_ms - state.last_timestamp >= expiration_ms) {
      expired.push_back(id);
      write.remove(keys::producer(topic_id_, partition_, id));
    }
  }
  if (expired.empty() || store_.apply(write)) return 0;
  for (int64_t id : expired) producers_.erase(id);
  return expired.size();
}

int32_t PartitionLog::batch_epoch_at(int64_t offset) const {
  int32_t epoch = -1;
  for_each_stored_batch_from(offset, [&](int64_t, const storage::StoredValue& value) {
    const auto h = read_header(value);
    if (h && h->base_offset <= offset && offset <= h->last_offset()) epoch = std::max(h->partition_leader_epoch, -1);
    return false;
  });
  if (epoch >= 0) return epoch;
  // A batch DeleteRecords took (Kafka still reads its segment): the epoch it
  // was written in, from the whole cache.
  for (const auto& [e, start] : epochs_) {
    if (start <= offset) epoch = e;
  }
  return epoch;
}

std::map<int32_t, int64_t> PartitionLog::epochs_after(int32_t epoch, int64_t start) const {
  // Kafka's assign: entries at or past the new one, by epoch or by offset, go.
  std::map<int32_t, int64_t> out;
  for (const auto& [e, offset] : epochs_) {
    if (e < epoch && offset < start) out[e] = offset;
  }
  out[epoch] = start;
  return out;
}

void PartitionLog::stage_leader_epoch(int32_t epoch, storage::WriteBatch& batch) const {
  const auto entries = epochs_after(epoch, state_.next_offset);
  wire::Writer w;
  w.write_int16(kLeaderEpochsFormat);
  w.write_int32(epoch);
  w.write_int32(static_cast<int32_t>(entries.size()));
  for (const auto& [e, offset] : entries) {
    w.write_int32(e);
    w.write_int64(offset);
  }
  batch.put(keys::leader_epochs(topic_id_, partition_), to_string(w));
}

void PartitionLog::apply_leader_epoch(int32_t epoch) {
  epochs_ = epochs_after(epoch, state_.next_offset);
  leader_epoch_ = epoch;
}

std::vector<EpochEntry> PartitionLog::epoch_entries() const {
  // As Kafka truncates its cache from the log start: the last epoch that
  // began at or below it now begins there.
  std::vector<EpochEntry> out;
  for (const auto& [epoch, start] : epochs_) {
    if (start <= state_.log_start_offset) {
      out.assign(1, {epoch, state_.log_start_offset});
    } else {
      out.push_back({epoch, start});
    }
  }
  return out;
}

std::pair<int32_t, int64_t> PartitionLog::end_offset_for_epoch(int32_t requested) const {
  const auto entries = epoch_entries();
  if (requested == -1 || entries.empty()) return {-1, -1};
  if (requested == entries.back().epoch) return {requested, state_.next_offset};
  if (requested > entries.back().epoch) return {-1, -1};
  if (requested < entries.front().epoch) return {requested, entries.front().start_offset};
  // The largest epoch at or below the one asked for, and where the next began.
  for (size_t i = entries.size() - 1; i-- > 0;) {
    if (entries[i].epoch <= requested) return {entries[i].epoch, entries[i + 1].start_offset};
  }
  return {-1, -1};
}

}  // namespace kafkalite::log
