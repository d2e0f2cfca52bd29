#include "broker/log/partition_log.h"

#include "broker/storage/keys.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::log {

using protocol::ErrorCode;
namespace keys = storage::keys;

namespace {

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

records::BatchHeader header_of(std::string_view stored) {
  records::RecordsError ignored;
  return records::peek_batch_header(bytes_of(stored), ignored).value_or(records::BatchHeader{});
}

}  // namespace

PartitionLog::PartitionLog(storage::KvStore& store, const wire::Uuid& topic_id, int32_t partition)
    : store_(store), topic_id_(topic_id), partition_(partition) {
  if (auto state = store_.get(keys::partition_state(topic_id, partition))) {
    wire::Reader r(bytes_of(*state));
    state_.log_start_offset = r.read_int64();
    state_.next_offset = r.read_int64();
    state_.size_bytes = r.read_int64();
    state_.max_timestamp.timestamp = r.read_int64();
    state_.max_timestamp.offset = r.read_int64();
  }
  store_.scan(keys::producers_begin(topic_id, partition), keys::producers_end(topic_id, partition),
              [this](std::string_view key, std::string_view value) {
                if (auto state = ProducerState::parse(value)) {
                  producers_[keys::producer_id_of(key)] = std::move(*state);
                }
                return true;
              });
}

void PartitionLog::put_state(storage::WriteBatch& batch, const State& state) const {
  wire::Writer w;
  w.write_int64(state.log_start_offset);
  w.write_int64(state.next_offset);
  w.write_int64(state.size_bytes);
  w.write_int64(state.max_timestamp.timestamp);
  w.write_int64(state.max_timestamp.offset);
  batch.put(keys::partition_state(topic_id_, partition_),
            std::string(w.bytes().begin(), w.bytes().end()));
}

AppendResult PartitionLog::append(std::span<const uint8_t> batch,
                                  const records::BatchHeader& header, int64_t log_append_time) {
  AppendResult result;
  storage::WriteBatch write;
  if (header.producer_id >= 0) {
    auto it = producers_.find(header.producer_id);
    auto check = check_sequence(it == producers_.end() ? nullptr : &it->second, header);
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
  const int64_t base = state_.next_offset;
  wire::Bytes stored(batch.begin(), batch.end());
  records::set_base_offset(stored, base);
  records::set_partition_leader_epoch(stored, 0);
  records::BatchHeader appended = header;
  appended.base_offset = base;
  if (log_append_time >= 0) {
    records::set_log_append_time(stored, log_append_time);
    appended.max_timestamp = log_append_time;
  }
  // Everything this append changes is computed first and stored before any
  // of it reaches memory: a failed write leaves the partition as it was.
  State next = state_;
  if (appended.max_timestamp > state_.max_timestamp.timestamp) {
    // Kafka answers MAX_TIMESTAMP with the batch's last offset when the
    // record is not looked up individually; the record is found on demand.
    next.max_timestamp = {appended.max_timestamp, base};
  }
  next.next_offset = appended.last_offset() + 1;
  next.size_bytes += static_cast<int64_t>(stored.size());
  write.put(keys::batch(topic_id_, partition_, base), std::string(stored.begin(), stored.end()));
  std::optional<ProducerState> producer;
  if (header.producer_id >= 0) {
    auto it = producers_.find(header.producer_id);
    producer = it == producers_.end() ? ProducerState{} : it->second;
    record_batch(*producer, appended, base);
    write.put(keys::producer(topic_id_, partition_, header.producer_id), producer->serialize());
  }
  put_state(write, next);
  if (auto failed = store_.apply(write)) {
    result.error = ErrorCode::KafkaStorageError;
    result.message = failed->message;
    return result;
  }
  state_ = next;
  if (producer) producers_[header.producer_id] = std::move(*producer);
  result.base_offset = base;
  if (log_append_time >= 0) result.log_append_time = log_append_time;
  return result;
}

template <typename Visit>
void PartitionLog::for_each_batch_from(int64_t offset, Visit&& visit) const {
  const std::string begin = keys::batches_begin(topic_id_, partition_);
  const std::string end = keys::batches_end(topic_id_, partition_);
  // Start at the batch holding `offset`: the last one whose base is <= offset.
  std::string start = keys::batch(topic_id_, partition_, offset);
  if (auto holder = store_.floor(begin, start)) start = holder->first;
  store_.scan(start, end, [&](std::string_view, std::string_view value) {
    return visit(value, header_of(value));
  });
}

size_t PartitionLog::read(int64_t offset, size_t max_bytes, bool at_least_one,
                          wire::Bytes& out) const {
  // As Kafka reads a segment: a raw slice of up to max_bytes from the batch
  // holding `offset`, widened to that whole batch when `at_least_one`.
  size_t taken = 0;
  size_t limit = max_bytes;
  for_each_batch_from(offset, [&](std::string_view value, const records::BatchHeader& h) {
    if (h.last_offset() < offset) return true;  // the floor batch ends before offset
    if (taken == 0 && at_least_one) limit = std::max(limit, value.size());
    const size_t n = std::min(value.size(), limit - taken);
    out.insert(out.end(), value.begin(), value.begin() + static_cast<std::ptrdiff_t>(n));
    taken += n;
    return taken < limit;
  });
  return taken;
}

TimestampLookup PartitionLog::offset_for_timestamp(int64_t timestamp) const {
  TimestampLookup found;
  for_each_batch_from(state_.log_start_offset, [&](std::string_view value, const records::BatchHeader& h) {
    if (h.max_timestamp < timestamp) return true;
    records::RecordsError error;
    auto records = records::decode_records({h, bytes_of(value)}, error);
    if (!records) return true;
    for (const auto& record : *records) {
      const int64_t offset = h.base_offset + record.offset_delta;
      const int64_t ts = h.timestamp_type() == records::TimestampType::kLogAppendTime
                             ? h.max_timestamp
                             : h.base_timestamp + record.timestamp_delta;
      if (offset >= state_.log_start_offset && ts >= timestamp) {
        found = {ts, offset};
        return false;
      }
    }
    return true;
  });
  return found;
}

TimestampLookup PartitionLog::max_timestamp() const {
  if (state_.max_timestamp.offset < state_.log_start_offset) return {};
  // The stored offset is the batch's base; find the record holding the maximum.
  TimestampLookup found = state_.max_timestamp;
  for_each_batch_from(state_.max_timestamp.offset, [&](std::string_view value, const records::BatchHeader& h) {
    records::RecordsError error;
    if (auto records = records::decode_records({h, bytes_of(value)}, error)) {
      for (const auto& record : *records) {
        const int64_t ts = h.timestamp_type() == records::TimestampType::kLogAppendTime
                               ? h.max_timestamp
                               : h.base_timestamp + record.timestamp_delta;
        if (ts == state_.max_timestamp.timestamp) {
          found.offset = h.base_offset + record.offset_delta;
          return false;
        }
      }
    }
    return false;
  });
  return found;
}

storage::WriteResult PartitionLog::delete_records_before(int64_t offset) {
  if (offset <= state_.log_start_offset) return std::nullopt;
  storage::WriteBatch write;
  State next = state_;
  for_each_batch_from(state_.log_start_offset, [&](std::string_view value, const records::BatchHeader& h) {
    if (h.last_offset() >= offset) return false;
    write.remove(keys::batch(topic_id_, partition_, h.base_offset));
    next.size_bytes -= static_cast<int64_t>(value.size());
    return true;
  });
  next.log_start_offset = offset;
  put_state(write, next);
  if (auto failed = store_.apply(write)) return failed;
  state_ = next;
  return std::nullopt;
}

size_t PartitionLog::enforce_retention(int64_t older_than, int64_t max_bytes) {
  int64_t new_start = state_.log_start_offset;
  int64_t remaining = state_.size_bytes;
  size_t deleted = 0;
  for_each_batch_from(state_.log_start_offset, [&](std::string_view value, const records::BatchHeader& h) {
    const bool too_old = older_than >= 0 && h.max_timestamp < older_than;
    const bool too_big = max_bytes >= 0 && remaining - static_cast<int64_t>(value.size()) >= max_bytes;
    if (!too_old && !too_big) return false;
    remaining -= static_cast<int64_t>(value.size());
    new_start = h.last_offset() + 1;
    ++deleted;
    return true;
  });
  if (deleted == 0 || delete_records_before(new_start)) return 0;
  return deleted;
}

}  // namespace kafkalite::log
