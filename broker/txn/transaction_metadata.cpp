#include "broker/txn/transaction_metadata.h"

#include <array>
#include <span>

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::txn {
namespace {

constexpr int16_t kFormat = 0;

constexpr std::array<std::pair<TxnState, std::string_view>, 8> kNames{{
    {TxnState::kEmpty, "Empty"},
    {TxnState::kOngoing, "Ongoing"},
    {TxnState::kPrepareCommit, "PrepareCommit"},
    {TxnState::kPrepareAbort, "PrepareAbort"},
    {TxnState::kCompleteCommit, "CompleteCommit"},
    {TxnState::kCompleteAbort, "CompleteAbort"},
    {TxnState::kDead, "Dead"},
    {TxnState::kPrepareEpochFence, "PrepareEpochFence"},
}};

}  // namespace

std::string_view state_name(TxnState state) {
  for (const auto& [s, name] : kNames) {
    if (s == state) return name;
  }
  return "Unknown";
}

std::string_view enum_name(TxnState state) {
  switch (state) {
    case TxnState::kEmpty: return "EMPTY";
    case TxnState::kOngoing: return "ONGOING";
    case TxnState::kPrepareCommit: return "PREPARE_COMMIT";
    case TxnState::kPrepareAbort: return "PREPARE_ABORT";
    case TxnState::kCompleteCommit: return "COMPLETE_COMMIT";
    case TxnState::kCompleteAbort: return "COMPLETE_ABORT";
    case TxnState::kDead: return "DEAD";
    case TxnState::kPrepareEpochFence: return "PREPARE_EPOCH_FENCE";
  }
  return "UNKNOWN";
}

std::optional<TxnState> state_from_name(std::string_view name) {
  for (const auto& [s, n] : kNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

std::string TransactionMetadata::serialize() const {
  wire::Writer w;
  w.write_int16(kFormat);
  w.write_int64(producer_id);
  w.write_int64(previous_producer_id);
  w.write_int16(producer_epoch);
  w.write_int16(last_producer_epoch);
  w.write_int32(timeout_ms);
  w.write_int8(static_cast<int8_t>(state));
  w.write_int64(start_timestamp_ms);
  w.write_int64(last_update_timestamp_ms);
  w.write_int16(client_transaction_version);
  w.write_int32(static_cast<int32_t>(partitions.size()));
  for (const auto& [topic, partition] : partitions) {
    w.write_string(topic, false);
    w.write_int32(partition);
  }
  w.write_int32(static_cast<int32_t>(groups.size()));
  for (const auto& group : groups) w.write_string(group, false);
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<TransactionMetadata> TransactionMetadata::parse(std::string_view transactional_id,
                                                              std::string_view bytes) {
  wire::Reader r(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  if (r.read_int16() != kFormat) return std::nullopt;
  TransactionMetadata m;
  m.transactional_id = std::string(transactional_id);
  m.producer_id = r.read_int64();
  m.previous_producer_id = r.read_int64();
  m.producer_epoch = r.read_int16();
  m.last_producer_epoch = r.read_int16();
  m.timeout_ms = r.read_int32();
  const int8_t state = r.read_int8();
  if (state < 0 || state > static_cast<int8_t>(TxnState::kPrepareEpochFence)) return std::nullopt;
  m.state = static_cast<TxnState>(state);
  m.start_timestamp_ms = r.read_int64();
  m.last_update_timestamp_ms = r.read_int64();
  m.client_transaction_version = r.read_int16();
  const int32_t partitions = r.read_int32();
  for (int32_t i = 0; i < partitions && r.ok(); ++i) {
    std::string topic = r.read_string(false);
    const int32_t partition = r.read_int32();
    m.partitions.emplace(std::move(topic), partition);
  }
  const int32_t groups = r.read_int32();
  for (int32_t i = 0; i < groups && r.ok(); ++i) m.groups.insert(r.read_string(false));
  if (!r.ok()) return std::nullopt;
  return m;
}

}  // namespace kafkalite::txn
