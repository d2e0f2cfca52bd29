// Log compaction, as a consumer sees it after Kafka's cleaner ran: the
// newest record per key outside the active segment, offsets kept with gaps,
// a batch rebuilt around the records it keeps, a tombstone kept with its
// delete horizon, DescribeLogDirs sizes after. Both cleaners run on their
// own clock (log.cleaner.backoff.ms, 15 s by default), so the scenario waits
// for the first record to be gone. The log is written under
// cleanup.policy=delete and turned to compact only once it is all there: a
// cleaner that ran between two produces would clean a shorter dirty section
// on one broker than on the other, and the two logs would differ by when
// each cleaner woke up.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

wire::Bytes keyed_batch(int64_t timestamp, std::vector<std::pair<std::string, std::optional<std::string>>> records) {
  records::BatchBuilder b;
  int64_t ts = timestamp;
  for (const auto& [key, value] : records) {
    b.add(ts++, wire::Bytes(key.begin(), key.end()),
          value ? wire::NullableBytes(wire::Bytes(value->begin(), value->end())) : std::nullopt);
  }
  return b.build();
}

// The base offset of the first batch fetched (-1: none).
int64_t first_base_offset(const FetchResponse& fetched) {
  const auto& data = fetched.responses.at(0).partitions.at(0).records.data;
  if (!data || data->size() < 8) return -1;
  int64_t base = 0;
  for (size_t i = 0; i < 8; ++i) base = (base << 8) | (*data)[i];
  return base;
}

}  // namespace

CROSSCHECK_SCENARIO(compaction_after_the_cleaner, "") {
  const std::string topic = s.name("compacted");
  // segment.ms=1: each batch, 10 ms after the last, rolls a segment.
  s.create_topic(topic, 1,
                 {{"cleanup.policy", "delete"}, {"segment.ms", "1"}, {"min.cleanable.dirty.ratio", "0.01"},
                  {"delete.retention.ms", "86400000"}});
  const int64_t t = s.base_time_ms();
  s.call<ProduceApi>("k1=a", produce_request(s, topic, 0, keyed_batch(t, {{"k1", "a"}})));
  s.call<ProduceApi>("k2=b, k3=c, k2=d",
                     produce_request(s, topic, 0, keyed_batch(t + 10, {{"k2", "b"}, {"k3", "c"}, {"k2", "d"}})));
  s.call<ProduceApi>("k1=e", produce_request(s, topic, 0, keyed_batch(t + 20, {{"k1", "e"}})));
  s.call<ProduceApi>("a tombstone for k3", produce_request(s, topic, 0, keyed_batch(t + 30, {{"k3", std::nullopt}})));
  s.call<ProduceApi>("k4=f, k4=g", produce_request(s, topic, 0, keyed_batch(t + 40, {{"k4", "f"}, {"k4", "g"}})));
  s.call<ProduceApi>("k1=h, in the active segment", produce_request(s, topic, 0, keyed_batch(t + 50, {{"k1", "h"}})));
  s.call<IncrementalAlterConfigsApi>("compact it now",
                                     incremental_alter_config_request(topic, "cleanup.policy", 0, "compact"));
  const bool cleaned = Session::poll(
      [&] { return first_base_offset(s.quiet<FetchApi>(fetch_request(s, topic, 0, 0))) > 0; },
      std::chrono::seconds(45));
  s.note("the cleaner ran", cleaned);
  s.call<FetchApi>("what a consumer reads after the cleaner", fetch_request(s, topic, 0, 0));
  s.call<ListOffsetsApi>("earliest", list_offsets_request(topic, 0, -2));
  s.call<ListOffsetsApi>("latest", list_offsets_request(topic, 0, -1));
  s.call<FetchApi>("from a removed offset", fetch_request(s, topic, 0, 1));
  DescribeLogDirsRequest dirs;
  dirs.topics.emplace();
  dirs.topics->push_back({TopicName(topic), {0}, {}});
  s.call<DescribeLogDirsApi>("its size after", dirs);
}

}  // namespace kafkalite::crosscheck
