// Kafka's default partitioner: a key lands where librdkafka's murmur2
// partitioner (the same function as the Java client's) puts it, and on the
// values Kafka's own UtilsTest checks.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <random>

#include "client/partitioner.h"

namespace kafkalite::client {
namespace {

std::span<const uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(Murmur2, KafkasKnownHashes) {
  EXPECT_EQ(murmur2(bytes("21")), -973932308);
  EXPECT_EQ(murmur2(bytes("foobar")), -790332482);
  EXPECT_EQ(murmur2(bytes("a-little-bit-long-string")), -985981536);
  EXPECT_EQ(murmur2(bytes("a-little-bit-longer-string")), -1486304829);
  EXPECT_EQ(murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")), -58897971);
  EXPECT_EQ(murmur2(bytes("abc")), 479470107);
}

TEST(Murmur2, SamePartitionAsLibrdkafka) {
  char error[256];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  ASSERT_NE(rk, nullptr) << error;
  rd_kafka_topic_t* topic = rd_kafka_topic_new(rk, "t", nullptr);
  std::mt19937 random(42);
  for (int i = 0; i < 2000; ++i) {
    std::string key(static_cast<size_t>(random() % 40), '\0');
    for (auto& c : key) c = static_cast<char>(random() & 0xff);
    const int32_t partitions = static_cast<int32_t>(1 + random() % 64);
    const int32_t theirs = rd_kafka_msg_partitioner_murmur2(topic, key.data(), key.size(), partitions, nullptr, nullptr);
    ASSERT_EQ(partition_for_key(bytes(key), partitions), theirs) << "key of " << key.size() << " bytes";
  }
  rd_kafka_topic_destroy(topic);
  rd_kafka_destroy(rk);
}

}  // namespace
}  // namespace kafkalite::client
