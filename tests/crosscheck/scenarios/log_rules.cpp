// The log's finer rules: acks=0 errors, fetch order and byte limits in and
// out of sessions, idempotent sequences of producers Kafka has no state for,
// retention by time, timestamps.
#include <regex>

#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

InitProducerIdRequest idempotent_init() {
  InitProducerIdRequest init;
  init.transactional_id = std::nullopt;
  init.transaction_timeout_ms = 60000;
  return init;
}

InitProducerIdResponse init_producer(Session& s, const std::string& label) {
  return s.call_when<InitProducerIdApi>(label, idempotent_init(), [](const auto& r) {
    return r.error_code != ErrorCode::CoordinatorLoadInProgress;
  });
}


wire::Bytes produce_frame(const ProduceRequest& request, int16_t version, int32_t correlation_id) {
  return encode_request_frame<ProduceApi>(request, version, correlation_id, "crosscheck");
}

// A fetch of several partitions of one topic, each from offset 0.
FetchRequest fetch_partitions(Session& s, const std::string& topic, std::vector<int32_t> partitions,
                              int32_t max_bytes, int32_t partition_max_bytes) {
  FetchRequest request = fetch_request(s, topic, partitions.front(), 0, partition_max_bytes);
  request.max_bytes = max_bytes;
  for (size_t i = 1; i < partitions.size(); ++i) {
    auto& p = request.topics[0].partitions.emplace_back();
    p.partition = partitions[i];
    p.fetch_offset = 0;
    p.partition_max_bytes = partition_max_bytes;
  }
  return request;
}

}  // namespace

CROSSCHECK_SCENARIO(acks0_errors_close_the_connection, "") {
  const std::string topic = s.name("quiet");
  s.create_topic(topic, 1, {{"max.message.bytes", "300"}});
  ProduceRequest unknown = produce_request(s, s.name("missing"), 0, s.batch(1), 0);
  s.send_raw("acks=0 to an unknown topic", produce_frame(unknown, 9, 7));
  ProduceRequest too_big = produce_request(s, topic, 0, s.batch(30), 0);
  s.send_raw("acks=0, over max.message.bytes", produce_frame(too_big, 11, 8));
  wire::Bytes corrupt = s.batch(2);
  corrupt.back() ^= 0x5a;
  s.send_raw("acks=0, corrupt batch", produce_frame(produce_request(s, topic, 0, corrupt, 0), 9, 9));
  // One good partition and one unknown: the good one is appended, then the
  // connection closes.
  ProduceRequest mixed = produce_request(s, topic, 0, s.batch(2), 0);
  mixed.topic_data.push_back(produce_request(s, topic, 5, s.batch(1), 0).topic_data[0]);
  s.send_raw("acks=0, a good and an unknown partition", produce_frame(mixed, 9, 10));
  s.call<FetchApi>("what was appended", fetch_request(s, topic, 0, 0));
}

CROSSCHECK_SCENARIO(fetch_order_and_byte_limits, "") {
  const std::string topic = s.name("order");
  s.create_topic(topic, 3);
  for (int32_t p = 0; p < 3; ++p) {
    s.call<ProduceApi>("3 records to " + std::to_string(p), produce_request(s, topic, p, s.batch(3, "p" + std::to_string(p))));
  }
  const int32_t batch = static_cast<int32_t>(s.batch(3, "p0").size());
  s.call<FetchApi>("request order 2,0,1", fetch_partitions(s, topic, {2, 0, 1}, 52428800, 1048576));
  s.call<FetchApi>("max_bytes of one batch: the first partition takes it",
                   fetch_partitions(s, topic, {1, 2, 0}, batch, 1048576));
  s.call<FetchApi>("partition limit of 20 bytes: the first whole, the rest sliced",
                   fetch_partitions(s, topic, {0, 1, 2}, 52428800, 20));
  s.call<FetchApi>("max_bytes of 10 bytes: the first batch whole anyway, then nothing",
                   fetch_partitions(s, topic, {2, 1}, 10, 1048576));
  FetchRequest with_unknown = fetch_request(s, s.name("missing"), 0, 0);
  with_unknown.topics.push_back(fetch_partitions(s, topic, {7, 1}, 52428800, 1048576).topics[0]);
  s.call<FetchApi>("unknown topic and partition first in the request", with_unknown, 12);
}

CROSSCHECK_SCENARIO(fetch_session_rotation, "") {
  const std::string topic = s.name("rotate");
  s.create_topic(topic, 3);
  for (int32_t p = 0; p < 3; ++p) {
    s.call<ProduceApi>("2 records to " + std::to_string(p), produce_request(s, topic, p, s.batch(2, "r" + std::to_string(p))));
  }
  const int32_t batch = static_cast<int32_t>(s.batch(2, "r0").size());
  FetchRequest full = fetch_partitions(s, topic, {0, 1, 2}, batch, 1048576);
  full.session_epoch = 0;
  auto opened = s.call<FetchApi>("open a session; the budget is one batch", full);
  // The client sends nothing new: whoever returned data goes to the back.
  for (int32_t epoch = 1; epoch <= 4; ++epoch) {
    FetchRequest next;
    next.replica_id = BrokerId(-1);
    next.max_wait_ms = 0;
    next.min_bytes = 1;
    next.max_bytes = batch;
    next.session_id = opened.session_id;
    next.session_epoch = epoch;
    s.call<FetchApi>("incremental fetch, epoch " + std::to_string(epoch), next);
  }
}

CROSSCHECK_SCENARIO(sequences_of_producers_without_state, "") {
  const std::string topic = s.name("seq");
  s.create_topic(topic, 2);
  auto a = init_producer(s, "producer a");
  s.call<ProduceApi>("a starts at sequence 5", produce_request(s, topic, 0, sequenced(s, a.producer_id.value(), 0, 5, 2)));
  s.call<ProduceApi>("a continues at 7", produce_request(s, topic, 0, sequenced(s, a.producer_id.value(), 0, 7, 1)));
  s.call<ProduceApi>("a skips to 10", produce_request(s, topic, 0, sequenced(s, a.producer_id.value(), 0, 10, 1)));
  s.call<ProduceApi>("a retries 5-6", produce_request(s, topic, 0, sequenced(s, a.producer_id.value(), 0, 5, 2)));
  s.call<ProduceApi>("a on partition 1 at 3", produce_request(s, topic, 1, sequenced(s, a.producer_id.value(), 0, 3, 1)));
  s.call<ProduceApi>("a with epoch 1 at 4", produce_request(s, topic, 1, sequenced(s, a.producer_id.value(), 1, 4, 1)));
  s.call<ProduceApi>("a with epoch 1 at 0", produce_request(s, topic, 1, sequenced(s, a.producer_id.value(), 1, 0, 1)));
  s.call<ProduceApi>("a with epoch 0 again", produce_request(s, topic, 1, sequenced(s, a.producer_id.value(), 0, 4, 1)));
  s.call<ProduceApi>("an id never handed out, at 9", produce_request(s, topic, 0, sequenced(s, 987654321, 0, 9, 1)));
  DescribeProducersRequest describe;
  describe.topics.push_back({TopicName(topic), {0, 1}, {}});
  s.call<DescribeProducersApi>("producers", describe);
  s.call<FetchApi>("partition 0", fetch_request(s, topic, 0, 0));
}

CROSSCHECK_SCENARIO(producers_after_delete_records, "") {
  const std::string topic = s.name("truncated");
  s.create_topic(topic, 1);
  auto p = init_producer(s, "producer");
  s.call<ProduceApi>("seq 0-2", produce_request(s, topic, 0, sequenced(s, p.producer_id.value(), 0, 0, 3)));
  s.call<ProduceApi>("seq 3", produce_request(s, topic, 0, sequenced(s, p.producer_id.value(), 0, 3, 1)));
  DeleteRecordsRequest del;
  del.topics.push_back({TopicName(topic), {{0, 4, {}}}, {}});
  del.timeout_ms = 30000;
  s.call<DeleteRecordsApi>("delete everything", del);
  DescribeProducersRequest describe;
  describe.topics.push_back({TopicName(topic), {0}, {}});
  s.call<DescribeProducersApi>("the producer is still known", describe);
  s.call<ProduceApi>("its next sequence", produce_request(s, topic, 0, sequenced(s, p.producer_id.value(), 0, 4, 1)));
  s.call<ProduceApi>("a retry of seq 3", produce_request(s, topic, 0, sequenced(s, p.producer_id.value(), 0, 3, 1)));
  s.call<ProduceApi>("a gap", produce_request(s, topic, 0, sequenced(s, p.producer_id.value(), 0, 9, 1)));
  s.call<ListOffsetsApi>("max timestamp after the delete", list_offsets_request(topic, 0, -3));
}

CROSSCHECK_SCENARIO(timestamps_and_lookups, "") {
  const std::string topic = s.name("clock");
  s.create_topic(topic, 1);
  const int64_t t = s.base_time_ms();
  auto at = [&](std::vector<int64_t> offsets_ms) {
    records::BatchBuilder b;
    b.base_timestamp = t + offsets_ms.front();
    for (int64_t d : offsets_ms) {
      const std::string v = "t" + std::to_string(d);
      b.add(t + d, std::nullopt, wire::Bytes(v.begin(), v.end()));
    }
    return b.build();
  };
  s.call<ProduceApi>("times +10 +30 +20", produce_request(s, topic, 0, at({10, 30, 20})));
  s.call<ProduceApi>("times +5 +40", produce_request(s, topic, 0, at({5, 40})));
  s.call<ProduceApi>("time +40 again", produce_request(s, topic, 0, at({40})));
  s.call<ProduceApi>("time +1", produce_request(s, topic, 0, at({1})));
  for (int64_t d : {0, 10, 11, 25, 31, 40, 41}) {
    s.call<ListOffsetsApi>("first at or after +" + std::to_string(d), list_offsets_request(topic, 0, t + d));
  }
  s.call<ListOffsetsApi>("max timestamp", list_offsets_request(topic, 0, -3));
}

CROSSCHECK_SCENARIO(records_without_timestamps, "") {
  const std::string topic = s.name("untimed");
  s.create_topic(topic, 1);
  records::BatchBuilder b;
  b.add(-1, std::nullopt, wire::Bytes{'a'});
  b.add(-1, std::nullopt, wire::Bytes{'b'});
  s.call<ProduceApi>("two records with timestamp -1", produce_request(s, topic, 0, b.build()));
  s.call<ListOffsetsApi>("max timestamp", list_offsets_request(topic, 0, -3));
  s.call<ListOffsetsApi>("first at or after 0", list_offsets_request(topic, 0, 0));
  s.call<FetchApi>("the records", fetch_request(s, topic, 0, 0));
}

// Retention checks run every second on both brokers here
// (log.retention.check.interval.ms=1000, as the reference broker is started).
CROSSCHECK_SCENARIO(retention_by_time, "") {
  const std::string old_topic = s.name("old");
  const std::string untimed_topic = s.name("untimed-kept");
  s.create_topic(old_topic, 1, {{"retention.ms", "60000"}});
  s.create_topic(untimed_topic, 1, {{"retention.ms", "60000"}});
  records::BatchBuilder old;
  old.add(s.base_time_ms() - 3600000, std::nullopt, wire::Bytes{'o'});
  s.call<ProduceApi>("a record an hour old", produce_request(s, old_topic, 0, old.build()));
  records::BatchBuilder untimed;
  untimed.add(-1, std::nullopt, wire::Bytes{'u'});
  s.call<ProduceApi>("a record without a timestamp", produce_request(s, untimed_topic, 0, untimed.build()));
  // Kafka's retention task first runs 30 s after its start (LogManager's
  // InitialTaskDelayMs), then every log.retention.check.interval.ms (1 s
  // on the reference): a scenario run early must wait that long.
  const bool deleted = Session::poll(
      [&] {
        auto r = s.quiet<ListOffsetsApi>(list_offsets_request(old_topic, 0, -2));
        return r.topics.at(0).partitions.at(0).offset == 1;
      },
      std::chrono::seconds(60));
  s.note("the old record was deleted by retention", deleted);
  s.call<ListOffsetsApi>("earliest of the old topic", list_offsets_request(old_topic, 0, -2));
  s.call<ListOffsetsApi>("max timestamp of the old topic", list_offsets_request(old_topic, 0, -3));
  s.call<FetchApi>("fetch the deleted record", fetch_request(s, old_topic, 0, 0));
  s.call<ListOffsetsApi>("the record without a timestamp is still there",
                         list_offsets_request(untimed_topic, 0, -2));
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {

// Kafka's record-by-record validation: a compacted topic refuses records
// without a key (all of the batch, every refused record listed, the first
// three in the message), and out-of-range timestamps are refused too.
CROSSCHECK_SCENARIO(records_refused_one_by_one, "") {
  const std::string compacted = s.name("compacted");
  const std::string both = s.name("compact-delete");
  const std::string plain = s.name("plain");
  s.create_topic(compacted, 1, {{"cleanup.policy", "compact"}});
  s.create_topic(both, 1, {{"cleanup.policy", "compact,delete"}});
  s.create_topic(plain, 1);
  auto keyed = [&](std::vector<bool> with_key) {
    records::BatchBuilder b;
    for (size_t i = 0; i < with_key.size(); ++i) {
      const std::string v = "v" + std::to_string(i);
      b.add(s.base_time_ms(), with_key[i] ? std::optional<wire::Bytes>(wire::Bytes{'k'}) : std::nullopt,
            wire::Bytes(v.begin(), v.end()));
    }
    return b.build();
  };
  s.call<ProduceApi>("five records, four without a key", produce_request(s, compacted, 0, keyed({false, true, false, false, false})));
  s.call<ProduceApi>("one without a key, compact and delete", produce_request(s, both, 0, keyed({true, false})));
  s.call<ProduceApi>("keyed records", produce_request(s, compacted, 0, keyed({true, true})));
  s.call<ProduceApi>("without keys to a plain topic", produce_request(s, plain, 0, keyed({false, false})));
  for (int16_t v : {int16_t{3}, int16_t{7}}) {
    s.call<ProduceApi>("without a key, v" + std::to_string(v), produce_request(s, compacted, 0, keyed({false})), v);
  }
  // A record two hours in the future (log.message.timestamp.after.max.ms is
  // an hour): the bounds in the message move with the clock, so compared as facts.
  records::BatchBuilder future;
  future.add(s.base_time_ms(), std::nullopt, wire::Bytes{'n'});
  future.add(s.base_time_ms() + 7200000, std::nullopt, wire::Bytes{'f'});
  const auto answer = s.quiet<ProduceApi>(produce_request(s, plain, 0, future.build()));
  const auto& p = answer.responses.at(0).partition_responses.at(0);
  json errors = json::array();
  for (const auto& e : p.record_errors) {
    errors.push_back({e.batch_index, std::regex_replace(e.batch_index_error_message.value_or("<null>"),
                                                        std::regex("[0-9]+"), "N")});
  }
  s.note("a record from the future", {{"error_code", static_cast<int16_t>(p.error_code)},
                                      {"error_message", p.error_message.value_or("<null>")},
                                      {"base_offset", p.base_offset},
                                      {"record_errors", errors}});
}

}  // namespace kafkalite::crosscheck
