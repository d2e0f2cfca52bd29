// A GoogleTest fixture with a fresh in-process kafkalite broker per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "broker/embedded_broker.h"
#include "client/connection.h"
#include "common/protocol/generated/visit_api.h"
#include "common/records/record_batch.h"

namespace kafkalite::testing {

using namespace kafkalite::protocol;

class BrokerTest : public ::testing::Test {
 protected:
  void SetUp() override { broker_ = EmbeddedBroker::start(options()); }
  void TearDown() override { broker_.reset(); }
  virtual EmbeddedBroker::Options options() { return {}; }

  client::Connection connect() { return client::Connection(broker_->bootstrap()); }

  std::unique_ptr<EmbeddedBroker> broker_;
};

// The header of a well-formed batch.
records::BatchHeader header_of(const wire::Bytes& batch);

// A batch of `count` records "v0".."vN" with keys "k0"..; timestamps = now.
wire::Bytes make_batch(int count, records::Compression codec = records::Compression::kNone,
                       int64_t producer_id = -1, int16_t epoch = -1, int32_t sequence = -1);

// Produces one batch to topic/partition with Produce v9 (by name) and
// returns the partition's response.
ProduceResponse::TopicProduceResponse::PartitionProduceResponse produce(
    client::Connection& c, const std::string& topic, int32_t partition, wire::Bytes batch,
    int16_t acks = -1);

// A Fetch (v12, by name) of one partition from `offset`, sessionless, up to
// 50 MiB in all and 1 MiB from the partition.
FetchRequest fetch_request(const std::string& topic, int32_t partition, int64_t offset, int32_t max_wait_ms = 0,
                           int32_t min_bytes = 1);

// Fetches from one partition (Fetch v12, by name) and returns the partition data.
FetchResponse::FetchableTopicResponse::PartitionData fetch(client::Connection& c,
                                                           const std::string& topic,
                                                           int32_t partition, int64_t offset,
                                                           int32_t max_wait_ms = 0,
                                                           int32_t min_bytes = 1);

// Metadata v12 for the named topics.
MetadataResponse metadata(client::Connection& c, std::vector<std::string> names,
                          bool auto_create = true);

// ListOffsets v9 for partition 0 of `topic` at `timestamp` (-1 latest, -2 earliest, ...).
ListOffsetsResponse::ListOffsetsTopicResponse::ListOffsetsPartitionResponse list_offset(
    client::Connection& c, const std::string& topic, int64_t timestamp);

// InitProducerId for an idempotent (non-transactional) producer.
// An ApiVersions request naming its client (KIP-511: from v3 a request
// without a valid name is INVALID_REQUEST).
inline ApiVersionsRequest api_versions_request() {
  ApiVersionsRequest request;
  request.client_software_name = "kafkalite-tests";
  request.client_software_version = "1.0";
  return request;
}

inline InitProducerIdRequest idempotent_init_request() {
  InitProducerIdRequest request;
  request.transactional_id = std::nullopt;  // Kafka's default is "", not null
  request.transaction_timeout_ms = 60000;
  return request;
}

// One batch with a record per timestamp.
wire::Bytes batch_at(std::initializer_list<int64_t> timestamps);

// All records of a fetch response's partition, decoded, with absolute offsets.
std::vector<std::pair<int64_t, records::Record>> records_of(const wire::Records& records);

}  // namespace kafkalite::testing
