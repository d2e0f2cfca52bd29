// The log: Produce, Fetch, ListOffsets, DeleteRecords, InitProducerId and
// DescribeProducers, with the error paths clients meet.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

CROSSCHECK_SCENARIO(produce_and_fetch, "") {
  const std::string topic = s.name("log");
  s.create_topic(topic, 2);
  s.call<ProduceApi>("3 records", produce_request(s, topic, 0, s.batch(3)));
  s.call<ProduceApi>("2 records gzip", produce_request(s, topic, 0, s.batch(2, "g", records::Compression::kGzip)));
  s.call<ProduceApi>("2 records lz4, acks=1",
                     produce_request(s, topic, 0, s.batch(2, "l", records::Compression::kLz4), 1));
  s.call<ProduceApi>("zstd, partition 1", produce_request(s, topic, 1, s.batch(1, "z", records::Compression::kZstd)));
  s.call<ProduceApi>("snappy, v9", produce_request(s, topic, 1, s.batch(1, "s", records::Compression::kSnappy)), 9);
  s.call<FetchApi>("fetch from 0", fetch_request(s, topic, 0, 0));
  s.call<FetchApi>("fetch from 4 (inside the gzip batch)", fetch_request(s, topic, 0, 4));
  s.call<FetchApi>("fetch at the end", fetch_request(s, topic, 0, 7));
  s.call<FetchApi>("fetch beyond the end", fetch_request(s, topic, 0, 99));
  s.call<FetchApi>("fetch partition 1, v4", fetch_request(s, topic, 1, 0), 4);
  s.call<FetchApi>("fetch with 10-byte partition limit (one batch anyway)", fetch_request(s, topic, 0, 0, 10));
  s.call<FetchApi>("unknown topic", fetch_request(s, s.name("missing"), 0, 0));
  s.call<FetchApi>("unknown topic by name, v12", fetch_request(s, s.name("missing"), 0, 0), 12);
  s.call<FetchApi>("beyond the end, v12", fetch_request(s, topic, 0, 99), 12);
  s.call<FetchApi>("unknown partition", fetch_request(s, topic, 9, 0));
}

CROSSCHECK_SCENARIO(produce_errors, "") {
  const std::string topic = s.name("strict");
  s.create_topic(topic, 1, {{"max.message.bytes", "200"}});
  s.call<ProduceApi>("batch over max.message.bytes", produce_request(s, topic, 0, s.batch(20)));
  wire::Bytes corrupt = s.batch(2);
  corrupt.back() ^= 0x5a;
  s.call<ProduceApi>("corrupt batch (CRC)", produce_request(s, topic, 0, corrupt));
  s.call<ProduceApi>("acks=2", produce_request(s, topic, 0, s.batch(1), 2));
  s.call<ProduceApi>("unknown topic", produce_request(s, s.name("missing"), 0, s.batch(1)));
  s.call<ProduceApi>("unknown topic by name, v12", produce_request(s, s.name("missing"), 0, s.batch(1)), 12);
  s.call<ProduceApi>("acks=2 and unknown topic, v12", produce_request(s, s.name("missing"), 0, s.batch(1), 2), 12);
  s.call<ProduceApi>("unknown partition", produce_request(s, topic, 3, s.batch(1)));
  s.call<ProduceApi>("zstd at v6", produce_request(s, topic, 0, s.batch(1, "z", records::Compression::kZstd)), 6);
  wire::Bytes two = s.batch(1);
  const wire::Bytes second = s.batch(1);
  two.insert(two.end(), second.begin(), second.end());
  s.call<ProduceApi>("two batches in one partition", produce_request(s, topic, 0, two));
  wire::Bytes old_magic = s.batch(1);
  old_magic[16] = 1;
  s.call<ProduceApi>("magic 1", produce_request(s, topic, 0, old_magic));
  s.call<ProduceApi>("invalid topic name, v12", produce_request(s, "bad name!", 0, s.batch(1)), 12);
  s.call<ProduceApi>("corrupt batch, v12", produce_request(s, topic, 0, corrupt), 12);
  s.call<FetchApi>("nothing was appended", fetch_request(s, topic, 0, 0));
}

CROSSCHECK_SCENARIO(list_offsets, "") {
  const std::string topic = s.name("times");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("5 records", produce_request(s, topic, 0, s.batch(5)));
  s.call<ProduceApi>("3 more", produce_request(s, topic, 0, s.batch(3, "w")));
  for (auto [label, ts] : std::vector<std::pair<std::string, int64_t>>{
           {"earliest", -2}, {"latest", -1}, {"max timestamp", -3}, {"earliest local", -4},
           {"earliest pending upload", -5}}) {
    s.call<ListOffsetsApi>(label, list_offsets_request(topic, 0, ts));
  }
  s.call<ListOffsetsApi>("by timestamp: base+2", list_offsets_request(topic, 0, s.base_time_ms() + 2));
  s.call<ListOffsetsApi>("by timestamp: after all", list_offsets_request(topic, 0, s.base_time_ms() + 100));
  s.call<ListOffsetsApi>("latest, v1", list_offsets_request(topic, 0, -1), 1);
  s.call<ListOffsetsApi>("by timestamp, v5", list_offsets_request(topic, 0, s.base_time_ms()), 5);
  s.call<ListOffsetsApi>("unknown topic", list_offsets_request(s.name("missing"), 0, -1));
  s.call<ListOffsetsApi>("unknown partition", list_offsets_request(topic, 4, -1));
}

CROSSCHECK_SCENARIO(delete_records, "") {
  const std::string topic = s.name("trim");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("2 records", produce_request(s, topic, 0, s.batch(2)));
  s.call<ProduceApi>("2 records", produce_request(s, topic, 0, s.batch(2, "w")));
  auto trim = [&](int32_t partition, int64_t offset) {
    DeleteRecordsRequest request;
    request.timeout_ms = 30000;
    auto& t = request.topics.emplace_back();
    t.name = TopicName(topic);
    auto& p = t.partitions.emplace_back();
    p.partition_index = partition;
    p.offset = offset;
    return request;
  };
  s.call<DeleteRecordsApi>("before offset 2", trim(0, 2));
  s.call<DeleteRecordsApi>("before offset 1 (already gone)", trim(0, 1));
  s.call<DeleteRecordsApi>("beyond the high watermark", trim(0, 9));
  s.call<DeleteRecordsApi>("unknown partition", trim(5, 1));
  s.call<ListOffsetsApi>("earliest", list_offsets_request(topic, 0, -2));
  s.call<FetchApi>("fetch below the start", fetch_request(s, topic, 0, 0));
  s.call<FetchApi>("fetch at the start", fetch_request(s, topic, 0, 2));
  s.call<DeleteRecordsApi>("to the high watermark (-1)", trim(0, -1));
  s.call<ListOffsetsApi>("earliest after", list_offsets_request(topic, 0, -2));
}

CROSSCHECK_SCENARIO(idempotent_produce, "") {
  const std::string topic = s.name("idem");
  s.create_topic(topic, 1);
  InitProducerIdRequest init;
  init.transactional_id = std::nullopt;
  init.transaction_timeout_ms = 60000;
  auto id = s.call_when<InitProducerIdApi>("init producer id", init, [](const auto& r) {
    return r.error_code != ErrorCode::CoordinatorLoadInProgress;
  });
  auto batch = [&](int32_t sequence, int count, int16_t epoch) {
    return sequenced(s, id.producer_id.value(), epoch, sequence, count);
  };
  s.call<ProduceApi>("seq 0..2", produce_request(s, topic, 0, batch(0, 3, id.producer_epoch)));
  s.call<ProduceApi>("seq 3..4", produce_request(s, topic, 0, batch(3, 2, id.producer_epoch)));
  s.call<ProduceApi>("seq 0..2 again (duplicate)", produce_request(s, topic, 0, batch(0, 3, id.producer_epoch)));
  s.call<ProduceApi>("seq 9 (gap)", produce_request(s, topic, 0, batch(9, 1, id.producer_epoch)));
  s.call<ProduceApi>("older epoch", produce_request(s, topic, 0, batch(5, 1, static_cast<int16_t>(id.producer_epoch - 1))));
  DescribeProducersRequest describe;
  auto& t = describe.topics.emplace_back();
  t.name = TopicName(topic);
  t.partition_indexes = {0, 3};
  s.call<DescribeProducersApi>("describe producers", describe);
  InitProducerIdRequest transactional;
  transactional.transactional_id = TransactionalId(s.name("txn"));
  transactional.transaction_timeout_ms = 60000;
  s.call<InitProducerIdApi>("transactional id, timeout over the maximum",
                            [&] { auto r = transactional; r.transaction_timeout_ms = 9000000; return r; }());
  s.call<FetchApi>("the log", fetch_request(s, topic, 0, 0));
}

}  // namespace kafkalite::crosscheck
