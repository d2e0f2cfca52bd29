#include "broker/log/producer_state.h"

#include <limits>

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::log {

using protocol::ErrorCode;

std::string ProducerState::serialize() const {
  wire::Writer w;
  w.write_int16(1);  // format version
  w.write_int16(epoch);
  w.write_int64(last_timestamp);
  w.write_int64(txn_first_offset);
  w.write_int32(coordinator_epoch);
  w.write_int32(static_cast<int32_t>(batches.size()));
  for (const auto& b : batches) {
    w.write_int32(b.first_sequence);
    w.write_int32(b.last_sequence);
    w.write_int64(b.first_offset);
    w.write_int64(b.last_offset);
    w.write_int64(b.max_timestamp);
  }
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<ProducerState> ProducerState::parse(std::string_view bytes) {
  wire::Reader r({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
  ProducerState state;
  // Format 0 had no transaction fields.
  const int16_t format = r.read_int16();
  if (format != 0 && format != 1) return std::nullopt;
  state.epoch = r.read_int16();
  state.last_timestamp = r.read_int64();
  if (format >= 1) {
    state.txn_first_offset = r.read_int64();
    state.coordinator_epoch = r.read_int32();
  }
  const int32_t count = r.read_int32();
  for (int32_t i = 0; i < count && r.ok(); ++i) {
    ProducerBatch b;
    b.first_sequence = r.read_int32();
    b.last_sequence = r.read_int32();
    b.first_offset = r.read_int64();
    b.last_offset = r.read_int64();
    b.max_timestamp = r.read_int64();
    state.batches.push_back(b);
  }
  if (!r.ok()) return std::nullopt;
  return state;
}

namespace {

// Sequence numbers wrap from INT32_MAX to 0.
bool is_next_sequence(int32_t last, int32_t next) {
  return last == std::numeric_limits<int32_t>::max() ? next == 0 : next == last + 1;
}

int32_t last_sequence_of(const records::BatchHeader& batch) {
  const int64_t last = static_cast<int64_t>(batch.base_sequence) + batch.last_offset_delta;
  return static_cast<int32_t>(last > std::numeric_limits<int32_t>::max()
                                  ? last - std::numeric_limits<int32_t>::max() - 1
                                  : last);
}

}  // namespace

SequenceCheck check_sequence(const ProducerState* state, const records::BatchHeader& batch) {
  SequenceCheck check;
  const int32_t first = batch.base_sequence;
  const int32_t last = last_sequence_of(batch);
  const std::string producer = "producer " + std::to_string(batch.producer_id);
  // Kafka 4.x (ProducerAppendInfo): a producer it has no state for — new,
  // expired, or whose batches retention took — may start at any sequence.
  if (state == nullptr) return check;
  // A retry of one of the last five batches is answered with its offsets.
  if (batch.producer_epoch == state->epoch) {
    for (const auto& b : state->batches) {
      if (b.first_sequence == first && b.last_sequence == last) {
        check.duplicate_of = b;
        return check;
      }
    }
  }
  if (batch.producer_epoch < state->epoch) {
    check.error = ErrorCode::InvalidProducerEpoch;
    check.message = "Epoch of " + producer + " is " + std::to_string(batch.producer_epoch) +
                    ", which is smaller than the last seen epoch " + std::to_string(state->epoch);
    return check;
  }
  if (batch.producer_epoch != state->epoch) {
    // A new epoch starts again at sequence 0.
    if (first != 0 && state->epoch != records::kNoProducerEpoch) {
      check.error = ErrorCode::OutOfOrderSequenceNumber;
      check.message = "Invalid sequence number for new epoch of " + producer + ": " +
                      std::to_string(batch.producer_epoch) + " (request epoch), " + std::to_string(first) +
                      " (seq. number), " + std::to_string(state->epoch) + " (current producer epoch)";
    }
    return check;
  }
  const int32_t current_last = state->batches.empty() ? -1 : state->batches.back().last_sequence;
  if (state->epoch != records::kNoProducerEpoch && !is_next_sequence(current_last, first)) {
    check.error = ErrorCode::OutOfOrderSequenceNumber;
    check.message = "Out of order sequence number for " + producer + ": " + std::to_string(first) +
                    " (incoming seq. number), " + std::to_string(current_last) + " (current end sequence number)";
  }
  return check;
}

void record_batch(ProducerState& state, const records::BatchHeader& batch, int64_t first_offset) {
  if (batch.producer_epoch != state.epoch) state.batches.clear();
  state.epoch = batch.producer_epoch;
  state.batches.push_back(ProducerBatch{batch.base_sequence, last_sequence_of(batch), first_offset,
                                        first_offset + batch.last_offset_delta,
                                        batch.max_timestamp});
  while (state.batches.size() > kProducerBatchWindow) state.batches.pop_front();
  state.last_timestamp = batch.max_timestamp;
}

}  // namespace kafkalite::log
