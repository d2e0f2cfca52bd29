// What an idempotent producer has written to one partition: its epoch and its
// last five batches, so a retried batch gets its original offsets back and a
// gap in sequence numbers is refused — Kafka's rules (ProducerStateManager).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "common/protocol/generated/error_code.h"
#include "common/records/record_batch.h"

namespace kafkalite::log {

// Kafka keeps this many batches per producer for duplicate detection, and
// producers keep at most this many requests in flight.
constexpr size_t kProducerBatchWindow = 5;

struct ProducerBatch {
  int32_t first_sequence = 0;
  int32_t last_sequence = 0;
  int64_t first_offset = 0;
  int64_t last_offset = 0;
  int64_t max_timestamp = 0;
};

struct ProducerState {
  int16_t epoch = records::kNoProducerEpoch;
  std::deque<ProducerBatch> batches;  // oldest first
  int64_t last_timestamp = -1;
  // The offset of this producer's first batch in its open transaction here,
  // -1 when none is open (Kafka's currentTxnFirstOffset).
  int64_t txn_first_offset = -1;
  // The coordinator epoch of the last transaction marker (-1: none yet).
  int32_t coordinator_epoch = -1;

  std::string serialize() const;
  static std::optional<ProducerState> parse(std::string_view bytes);
};

// The verdict on an incoming batch from a producer.
struct SequenceCheck {
  protocol::ErrorCode error = protocol::ErrorCode::None;
  std::string message;
  std::optional<ProducerBatch> duplicate_of;  // set: answer with these offsets, write nothing
};

SequenceCheck check_sequence(const ProducerState* state, const records::BatchHeader& batch);

// Records an appended batch (with its assigned offsets) in the state.
void record_batch(ProducerState& state, const records::BatchHeader& batch, int64_t first_offset);

}  // namespace kafkalite::log
