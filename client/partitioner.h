// Kafka's default partitioner: a record with a key goes to
// toPositive(murmur2(key)) % partitions, so it lands where the Java client
// and librdkafka's murmur2_random put it; records without a key stick to one
// partition until its batch is sent.
#pragma once

#include <cstdint>
#include <span>

namespace kafkalite::client {

// MurmurHash2, 32-bit, with the seed Kafka uses (Utils.murmur2).
int32_t murmur2(std::span<const uint8_t> data);

inline int32_t partition_for_key(std::span<const uint8_t> key, int32_t partitions) {
  return static_cast<int32_t>((murmur2(key) & 0x7fffffff) % partitions);
}

}  // namespace kafkalite::client
