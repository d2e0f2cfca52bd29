// librdkafka, a real client, against the in-process broker: an idempotent
// acks=all producer, a consumer with manual assignment, and the admin API.
#include <librdkafka/rdkafka.h>

#include <memory>

#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

KafkaHandle make_client(rd_kafka_type_t type, const std::string& bootstrap,
                        std::initializer_list<std::pair<const char*, const char*>> settings) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const char* key, const char* value) {
    EXPECT_EQ(rd_kafka_conf_set(conf, key, value, error, sizeof error), RD_KAFKA_CONF_OK) << error;
  };
  set("bootstrap.servers", bootstrap.c_str());
  for (const auto& [key, value] : settings) set(key, value);
  rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof error);
  EXPECT_NE(rk, nullptr) << error;
  return KafkaHandle(rk);
}

// Produces `count` messages and waits for every delivery report.
void produce_all(rd_kafka_t* producer, const std::string& topic, int count) {
  for (int i = 0; i < count; ++i) {
    const std::string value = "message-" + std::to_string(i);
    const std::string key = "key-" + std::to_string(i % 3);
    ASSERT_EQ(rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
                                RD_KAFKA_V_HEADER("h", "hv", 2), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(rd_kafka_flush(producer, 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(rd_kafka_outq_len(producer), 0);
}

TEST_F(BrokerTest, LibrdkafkaProducesAndConsumesWithManualAssignment) {
  broker_->create_topic("rdk", 1);
  for (const char* codec : {"none", "gzip", "snappy", "lz4", "zstd"}) {
    auto producer = make_client(RD_KAFKA_PRODUCER, broker_->bootstrap(),
                                {{"enable.idempotence", "true"}, {"acks", "all"},
                                 {"compression.codec", codec}, {"linger.ms", "5"}});
    produce_all(producer.get(), "rdk", 20);
  }
  auto consumer = make_client(RD_KAFKA_CONSUMER, broker_->bootstrap(),
                              {{"group.id", "unused-with-assign"}, {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(assignment, "rdk", 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  ASSERT_EQ(rd_kafka_assign(consumer.get(), assignment), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(assignment);
  int64_t expected_offset = 0;
  while (expected_offset < 100) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer.get(), 30000);
    ASSERT_NE(message, nullptr) << "timed out at offset " << expected_offset;
    ASSERT_EQ(message->err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_message_errstr(message);
    EXPECT_EQ(message->offset, expected_offset);
    const std::string value(static_cast<const char*>(message->payload), message->len);
    EXPECT_EQ(value, "message-" + std::to_string(expected_offset % 20));
    rd_kafka_headers_t* headers = nullptr;
    ASSERT_EQ(rd_kafka_message_headers(message, &headers), RD_KAFKA_RESP_ERR_NO_ERROR);
    const void* header_value = nullptr;
    size_t header_size = 0;
    EXPECT_EQ(rd_kafka_header_get_last(headers, "h", &header_value, &header_size),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    EXPECT_EQ(std::string(static_cast<const char*>(header_value), header_size), "hv");
    rd_kafka_message_destroy(message);
    ++expected_offset;
  }
  rd_kafka_consumer_close(consumer.get());
}

TEST_F(BrokerTest, LibrdkafkaProducerToUnknownTopicAutoCreatesIt) {
  auto producer = make_client(RD_KAFKA_PRODUCER, broker_->bootstrap(), {{"acks", "all"}});
  produce_all(producer.get(), "created-on-demand", 3);
  client::Connection c(broker_->bootstrap());
  EXPECT_EQ(records_of(fetch(c, "created-on-demand", 0, 0).records).size(), 3u);
}

TEST_F(BrokerTest, LibrdkafkaAdminCreatesAndRefusesTopics) {
  auto admin = make_client(RD_KAFKA_PRODUCER, broker_->bootstrap(), {});
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin.get());
  char error[512];
  rd_kafka_NewTopic_t* topics[3] = {
      rd_kafka_NewTopic_new("admin-made", 3, 1, error, sizeof error),
      rd_kafka_NewTopic_new("too-replicated", 1, 3, error, sizeof error),
      rd_kafka_NewTopic_new("bad$name", 1, 1, error, sizeof error)};
  rd_kafka_CreateTopics(admin.get(), topics, 3, nullptr, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 30000);
  ASSERT_NE(event, nullptr);
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event);
  ASSERT_NE(result, nullptr);
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  ASSERT_EQ(count, 3u);
  std::map<std::string, rd_kafka_resp_err_t> errors;
  for (size_t i = 0; i < count; ++i) {
    errors[rd_kafka_topic_result_name(results[i])] = rd_kafka_topic_result_error(results[i]);
  }
  EXPECT_EQ(errors["admin-made"], RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(errors["too-replicated"], RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR);
  EXPECT_EQ(errors["bad$name"], RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION);
  rd_kafka_event_destroy(event);
  for (auto* t : topics) rd_kafka_NewTopic_destroy(t);
  rd_kafka_queue_destroy(queue);
}

}  // namespace
}  // namespace kafkalite::testing
