// Log compaction: the newest record per key outside the active segment,
// offsets kept with gaps, tombstones kept until their delete horizon, the
// cleaner's checkpoint; cross-checked against Kafka in
// tests/crosscheck/scenarios/compaction.cpp.
#include "common/clock.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

wire::Bytes keyed(int64_t timestamp, const std::string& key, std::optional<std::string> value) {
  records::BatchBuilder b;
  b.add(timestamp, wire::Bytes(key.begin(), key.end()),
        value ? wire::NullableBytes(wire::Bytes(value->begin(), value->end())) : std::nullopt);
  return b.build();
}

// Every record, a fetch at a time (a fetch reads one segment, as Kafka's).
std::vector<std::pair<int64_t, std::string>> read_all(client::Connection& c, const std::string& topic) {
  std::vector<std::pair<int64_t, std::string>> out;
  for (int64_t next = 0;;) {
    const auto records = records_of(fetch(c, topic, 0, next).records);
    if (records.empty()) return out;
    for (const auto& [offset, r] : records) {
      out.emplace_back(offset, std::string(r.key->begin(), r.key->end()) + "=" +
                                   (r.value ? std::string(r.value->begin(), r.value->end()) : "null"));
      next = offset + 1;
    }
  }
}

TEST_F(BrokerTest, CompactionKeepsTheNewestRecordPerKeyOutsideTheActiveSegment) {
  // segment.ms=1: every batch a millisecond after the last is a segment of its own.
  broker_->create_topic("c", 1,
                        {{"cleanup.policy", "compact"}, {"segment.ms", "1"}, {"min.cleanable.dirty.ratio", "0.01"},
                         {"delete.retention.ms", "0"}});
  auto c = connect();
  const int64_t t = now_ms();
  produce(c, "c", 0, keyed(t, "k1", "a"));
  produce(c, "c", 0, keyed(t + 10, "k2", "b"));
  produce(c, "c", 0, keyed(t + 20, "k1", "c"));
  produce(c, "c", 0, keyed(t + 30, "k2", std::nullopt));  // a tombstone
  produce(c, "c", 0, keyed(t + 40, "k1", "active"));      // the active segment: never cleaned
  EXPECT_EQ(broker_->clean_logs(), 1u);
  using Read = std::vector<std::pair<int64_t, std::string>>;
  EXPECT_EQ(read_all(c, "c"), (Read{{2, "k1=c"}, {3, "k2=null"}, {4, "k1=active"}}));
  EXPECT_EQ(list_offset(c, "c", -2).offset, 0) << "compaction leaves the log start";
  EXPECT_EQ(broker_->clean_logs(), 0u) << "nothing dirty";
  // More data makes the log dirty again; the tombstone's horizon (delete.retention.ms 0) has passed.
  produce(c, "c", 0, keyed(t + 50, "k3", "d"));
  produce(c, "c", 0, keyed(t + 60, "k3", "e"));
  EXPECT_EQ(broker_->clean_logs(), 1u);
  // k1=c goes (k1 at 4 is newer), the tombstone goes (past its horizon);
  // k3=d stays: k3=e is in the active segment, beyond the cleaner's map.
  EXPECT_EQ(read_all(c, "c"), (Read{{4, "k1=active"}, {5, "k3=d"}, {6, "k3=e"}}));
}

}  // namespace
}  // namespace kafkalite::testing
