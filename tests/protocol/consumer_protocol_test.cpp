// The classic consumer protocol's payloads: each version round-trips, a
// newer version reads as 3, and cut-off bytes are refused.
#include "common/protocol/consumer_protocol.h"

#include <gtest/gtest.h>

namespace kafkalite::protocol {
namespace {

TEST(ConsumerProtocol, SubscriptionRoundTripsAtEveryVersion) {
  for (int16_t version = 0; version <= 3; ++version) {
    ConsumerSubscription s;
    s.version = version;
    s.topics = {"orders", "payments"};
    s.user_data = wire::Bytes{1, 2};
    if (version >= 1) s.owned_partitions = {{"orders", {0, 2}}};
    if (version >= 2) s.generation_id = 7;
    if (version >= 3) s.rack_id = "rack-a";
    const auto back = decode_consumer_subscription(encode_consumer_subscription(s));
    ASSERT_TRUE(back) << version;
    EXPECT_EQ(back->version, version);
    EXPECT_EQ(back->topics, s.topics);
    EXPECT_EQ(back->user_data, s.user_data);
    EXPECT_EQ(back->owned_partitions, s.owned_partitions);
    EXPECT_EQ(back->generation_id, s.generation_id);
    EXPECT_EQ(back->rack_id, s.rack_id);
  }
}

TEST(ConsumerProtocol, NewerVersionsReadAsTheHighestKnown) {
  ConsumerSubscription s;
  s.version = 3;
  s.topics = {"t"};
  s.rack_id = "r";
  wire::Bytes bytes = encode_consumer_subscription(s);
  bytes[1] = 9;  // version 9, with a field this reader does not know after the known ones
  bytes.push_back(0);
  const auto back = decode_consumer_subscription(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->version, 9);
  EXPECT_EQ(back->rack_id, "r");
}

TEST(ConsumerProtocol, AssignmentRoundTripsAndCutBytesAreRefused) {
  ConsumerAssignment a;
  a.version = 1;
  a.partitions = {{"orders", {1, 3}}, {"payments", {0}}};
  const wire::Bytes bytes = encode_consumer_assignment(a);
  const auto back = decode_consumer_assignment(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->partitions, a.partitions);
  EXPECT_FALSE(back->user_data);
  EXPECT_FALSE(decode_consumer_assignment(wire::Bytes(bytes.begin(), bytes.end() - 3)));
  EXPECT_FALSE(decode_consumer_subscription(wire::Bytes{0}));
}

}  // namespace
}  // namespace kafkalite::protocol
