#include "common/protocol/consumer_protocol.h"

#include <algorithm>

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::protocol {
namespace {

constexpr int16_t kHighest = 3;

TopicPartitionList read_partitions(wire::Reader& r) {
  TopicPartitionList out;
  const int32_t topics = r.read_int32();
  for (int32_t i = 0; i < topics && r.ok(); ++i) {
    auto& [topic, partitions] = out.emplace_back();
    topic = r.read_string(false);
    const int32_t count = r.read_int32();
    for (int32_t j = 0; j < count && r.ok(); ++j) partitions.push_back(r.read_int32());
  }
  return out;
}

void write_partitions(wire::Writer& w, const TopicPartitionList& list) {
  w.write_int32(static_cast<int32_t>(list.size()));
  for (const auto& [topic, partitions] : list) {
    w.write_string(topic, false);
    w.write_int32(static_cast<int32_t>(partitions.size()));
    for (int32_t p : partitions) w.write_int32(p);
  }
}

}  // namespace

std::optional<ConsumerSubscription> decode_consumer_subscription(std::span<const uint8_t> bytes) {
  wire::Reader r(bytes);
  ConsumerSubscription s;
  s.version = r.read_int16();
  if (!r.ok() || s.version < 0) return std::nullopt;
  const int16_t v = std::min(s.version, kHighest);
  const int32_t topics = r.read_int32();
  for (int32_t i = 0; i < topics && r.ok(); ++i) s.topics.push_back(r.read_string(false));
  s.user_data = r.read_nullable_bytes(false);
  if (v >= 1) s.owned_partitions = read_partitions(r);
  if (v >= 2) s.generation_id = r.read_int32();
  if (v >= 3) s.rack_id = r.read_nullable_string(false);
  if (!r.ok()) return std::nullopt;
  return s;
}

std::optional<ConsumerAssignment> decode_consumer_assignment(std::span<const uint8_t> bytes) {
  wire::Reader r(bytes);
  ConsumerAssignment a;
  a.version = r.read_int16();
  if (!r.ok() || a.version < 0) return std::nullopt;
  a.partitions = read_partitions(r);
  a.user_data = r.read_nullable_bytes(false);
  if (!r.ok()) return std::nullopt;
  return a;
}

wire::Bytes encode_consumer_subscription(const ConsumerSubscription& s) {
  wire::Writer w;
  w.write_int16(s.version);
  const int16_t v = std::min(s.version, kHighest);
  w.write_int32(static_cast<int32_t>(s.topics.size()));
  for (const auto& t : s.topics) w.write_string(t, false);
  w.write_nullable_bytes(s.user_data, false);
  if (v >= 1) write_partitions(w, s.owned_partitions);
  if (v >= 2) w.write_int32(s.generation_id);
  if (v >= 3) w.write_nullable_string(s.rack_id, false);
  return w.take();
}

wire::Bytes encode_consumer_assignment(const ConsumerAssignment& a) {
  wire::Writer w;
  w.write_int16(a.version);
  write_partitions(w, a.partitions);
  w.write_nullable_bytes(a.user_data, false);
  return w.take();
}

}  // namespace kafkalite::protocol
