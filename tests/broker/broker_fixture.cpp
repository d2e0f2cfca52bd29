#include "tests/broker/broker_fixture.h"

#include <chrono>

namespace kafkalite::testing {

records::BatchHeader header_of(const wire::Bytes& batch) {
  records::RecordsError error;
  return *records::peek_batch_header(batch, error);
}

wire::Bytes make_batch(int count, records::Compression codec, int64_t producer_id, int16_t epoch,
                       int32_t sequence) {
  records::BatchBuilder builder;
  builder.compression = codec;
  builder.producer_id = producer_id;
  builder.producer_epoch = epoch;
  builder.base_sequence = sequence;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  for (int i = 0; i < count; ++i) {
    const std::string key = "k" + std::to_string(i), value = "v" + std::to_string(i);
    builder.add(now, wire::Bytes(key.begin(), key.end()), wire::Bytes(value.begin(), value.end()));
  }
  return builder.build();
}

ProduceResponse::TopicProduceResponse::PartitionProduceResponse produce(
    client::Connection& c, const std::string& topic, int32_t partition, wire::Bytes batch,
    int16_t acks) {
  ProduceRequest request;
  request.acks = acks;
  request.timeout_ms = 30000;
  auto& t = request.topic_data.emplace_back();
  t.name = TopicName(topic);
  auto& p = t.partition_data.emplace_back();
  p.index = partition;
  p.records.data = std::move(batch);
  auto response = c.request<ProduceApi>(request, 9);
  EXPECT_EQ(response.responses.size(), 1u);
  EXPECT_EQ(response.responses.at(0).partition_responses.size(), 1u);
  return response.responses.at(0).partition_responses.at(0);
}

FetchRequest fetch_request(const std::string& topic, int32_t partition, int64_t offset, int32_t max_wait_ms,
                           int32_t min_bytes) {
  FetchRequest request;
  request.max_wait_ms = max_wait_ms;
  request.min_bytes = min_bytes;
  request.max_bytes = 52428800;
  request.session_epoch = -1;
  auto& t = request.topics.emplace_back();
  t.topic = TopicName(topic);
  auto& p = t.partitions.emplace_back();
  p.partition = partition;
  p.fetch_offset = offset;
  p.partition_max_bytes = 1048576;
  return request;
}

FetchResponse::FetchableTopicResponse::PartitionData fetch(client::Connection& c,
                                                           const std::string& topic,
                                                           int32_t partition, int64_t offset,
                                                           int32_t max_wait_ms, int32_t min_bytes) {
  auto response = c.request<FetchApi>(fetch_request(topic, partition, offset, max_wait_ms, min_bytes), 12);
  EXPECT_EQ(response.error_code, ErrorCode::None);
  return response.responses.at(0).partitions.at(0);
}

MetadataResponse metadata(client::Connection& c, std::vector<std::string> names, bool auto_create) {
  MetadataRequest request;
  request.topics.emplace();
  for (auto& n : names) request.topics->push_back({wire::Uuid{}, TopicName(n), {}});
  request.allow_auto_topic_creation = auto_create;
  return c.request<MetadataApi>(request, 12);
}

ListOffsetsResponse::ListOffsetsTopicResponse::ListOffsetsPartitionResponse list_offset(client::Connection& c, const std::string& topic, int64_t timestamp) {
  ListOffsetsRequest request;
  request.replica_id = BrokerId(-1);
  auto& t = request.topics.emplace_back();
  t.name = TopicName(topic);
  t.partitions.push_back({0, -1, timestamp, {}});
  return c.request<ListOffsetsApi>(request, 9).topics.at(0).partitions.at(0);
}

wire::Bytes batch_at(std::initializer_list<int64_t> timestamps) {
  records::BatchBuilder builder;
  for (int64_t ts : timestamps) builder.add(ts, std::nullopt, wire::Bytes{'x'});
  return builder.build();
}

std::vector<std::pair<int64_t, records::Record>> records_of(const wire::Records& records) {
  std::vector<std::pair<int64_t, records::Record>> out;
  if (!records.data) return out;
  records::RecordsError error;
  for (const auto& batch : records::split_batches(*records.data, error)) {
    auto decoded = records::decode_records(batch, error, /*as_produced=*/false);  // fetched: gaps allowed
    EXPECT_TRUE(decoded) << error.message;
    if (!decoded) continue;
    for (auto& r : *decoded) out.emplace_back(batch.header.base_offset + r.offset_delta, std::move(r));
  }
  return out;
}

}  // namespace kafkalite::testing
