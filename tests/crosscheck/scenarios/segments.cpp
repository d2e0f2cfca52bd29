// Segments and retention, as Kafka's log keeps them: segments roll by
// record timestamps against segment.ms (and by segment.bytes), retention
// removes whole segments (never part of one), the log starts again at its
// end when every segment is old, and DescribeLogDirs sizes follow.
// Retention checks run every second on both brokers here
// (log.retention.check.interval.ms=1000, as the reference broker is started).
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

wire::Bytes one_record_at(int64_t timestamp, const std::string& value) {
  records::BatchBuilder b;
  b.add(timestamp, std::nullopt, wire::Bytes(value.begin(), value.end()));
  return b.build();
}

int64_t earliest(Session& s, const std::string& topic) {
  return s.quiet<ListOffsetsApi>(list_offsets_request(topic, 0, -2)).topics.at(0).partitions.at(0).offset;
}

// Sets a topic's retention (recorded). Retention is set once the records are
// in: Kafka's retention runs beside its request handlers, so a topic already
// retaining could lose a record between its append and the produce response,
// whose log start offset would then differ by chance.
void retain(Session& s, const std::string& topic, const std::string& name, const std::string& value) {
  s.call<IncrementalAlterConfigsApi>(name + "=" + value + " for " + topic,
                                     incremental_alter_config_request(topic, name, 0, value));
}

// Kafka's retention task first runs log.initial.task.delay.ms (30 s) after
// its start, then every log.retention.check.interval.ms (1 s on the
// reference): a scenario run early waits that long.
constexpr std::chrono::seconds kRetentionWait{60};

// Waits for a retention pass that is known to have run: one that deletes
// the old segment of a topic made for the purpose.
bool await_retention_pass(Session& s, const std::string& marker) {
  // Two segments (segment.ms=1), the first two hours old: within the default
  // retention (7 days) until retention.ms is set.
  s.create_topic(marker, 1, {{"segment.ms", "1"}});
  s.call<ProduceApi>("an old record for " + marker,
                     produce_request(s, marker, 0, one_record_at(s.base_time_ms() - 7200000, "old")));
  s.call<ProduceApi>("a new record for " + marker,
                     produce_request(s, marker, 0, one_record_at(s.base_time_ms(), "new")));
  retain(s, marker, "retention.ms", "60000");
  return Session::poll([&] { return earliest(s, marker) == 1; }, kRetentionWait);
}

}  // namespace

CROSSCHECK_SCENARIO(retention_by_segments, "") {
  const int64_t now = s.base_time_ms();
  const std::string by_size = s.name("by-size");
  const std::string mixed = s.name("one-segment");
  const std::string all_old = s.name("all-old");
  const std::string compacted = s.name("compacted");
  const auto size = static_cast<int64_t>(one_record_at(now, "s0").size());
  // segment.ms=1: a batch a millisecond or more after the segment's first rolls a new one.
  s.create_topic(by_size, 1, {{"segment.ms", "1"}});
  s.create_topic(mixed, 1);
  s.create_topic(all_old, 1);
  s.create_topic(compacted, 1, {{"retention.ms", "60000"}, {"cleanup.policy", "compact"}});
  for (int i = 0; i < 4; ++i) {
    s.call<ProduceApi>("sized " + std::to_string(i),
                       produce_request(s, by_size, 0, one_record_at(now + 10 * i, "s" + std::to_string(i))));
  }
  // Two hours apart, well within segment.ms (7 days): one segment.
  s.call<ProduceApi>("two hours old", produce_request(s, mixed, 0, one_record_at(now - 7200000, "m0")));
  s.call<ProduceApi>("new, same segment", produce_request(s, mixed, 0, one_record_at(now, "m1")));
  s.call<ProduceApi>("old", produce_request(s, all_old, 0, one_record_at(now - 7200000, "a0")));
  s.call<ProduceApi>("old too", produce_request(s, all_old, 0, one_record_at(now - 7100000, "a1")));
  s.call<ProduceApi>("an old keyed record",
                     produce_request(s, compacted, 0, [&] {
                       records::BatchBuilder b;
                       b.add(1000, wire::Bytes{'k'}, wire::Bytes{'v'});
                       return b.build();
                     }()));
  retain(s, by_size, "retention.bytes", std::to_string(size));
  retain(s, mixed, "retention.ms", "60000");
  retain(s, all_old, "retention.ms", "60000");
  s.note("the size-bound topic went down to its newest segment",
         Session::poll([&] { return earliest(s, by_size) == 3; }, kRetentionWait));
  s.note("the old topic emptied", Session::poll([&] { return earliest(s, all_old) == 2; }, kRetentionWait));
  s.note("a later retention pass ran", await_retention_pass(s, s.name("pass")));
  for (const auto& topic : {by_size, mixed, all_old, compacted}) {
    s.call<ListOffsetsApi>("earliest of " + topic, list_offsets_request(topic, 0, -2));
    s.call<ListOffsetsApi>("latest of " + topic, list_offsets_request(topic, 0, -1));
    s.call<ListOffsetsApi>("max timestamp of " + topic, list_offsets_request(topic, 0, -3));
  }
  s.call<FetchApi>("fetch the emptied log at its end", fetch_request(s, all_old, 0, 2));
  s.call<ProduceApi>("a new record to the emptied log", produce_request(s, all_old, 0, one_record_at(now, "a2")));
  s.call<FetchApi>("fetch it", fetch_request(s, all_old, 0, 2));
  DescribeLogDirsRequest dirs;
  dirs.topics.emplace();
  for (const auto& topic : {by_size, mixed, all_old, compacted}) dirs.topics->push_back({TopicName(topic), {0}, {}});
  s.call<DescribeLogDirsApi>("sizes after retention", dirs);
}

}  // namespace kafkalite::crosscheck
