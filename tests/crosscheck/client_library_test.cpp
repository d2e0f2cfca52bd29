// kafkalite's client library (client/) against both brokers: the same test
// bodies run against an in-process kafkalite and against the reference Kafka
// 4.1.1, so the library is known to work with a real Kafka, not only with
// kafkalite.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "broker/embedded_broker.h"
#include "client/admin.h"
#include "client/consumer.h"
#include "client/partitioner.h"
#include "client/producer.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

using namespace std::chrono_literals;
using client::ErrorCode;
using client::TopicPartition;

class ClientLibrary : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "kafkalite") {
      broker_ = EmbeddedBroker::start({.data_dir = "", .properties = {{"group.initial.rebalance.delay.ms", "0"}}});
      bootstrap_ = broker_->bootstrap();
    } else {
      const Reference ref = reference();
      if (ref.bootstrap.empty()) {
        const char* allow = std::getenv("KAFKALITE_ALLOW_NO_REFERENCE");
        if (allow && std::string(allow) == "1") GTEST_SKIP() << "NOT CHECKED against Kafka 4.1.1: " << ref.why_not;
        FAIL() << "no reference Kafka 4.1.1 (" << ref.why_not << ")";
      }
      bootstrap_ = ref.bootstrap;
    }
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    prefix_ = "client-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count() % 100000000) +
              "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& c : prefix_) {
      if (c == '/') c = '-';
    }
  }

  client::ClientConfig config() const {
    client::ClientConfig c;
    c.bootstrap_servers = bootstrap_;
    return c;
  }
  std::unique_ptr<client::Admin> admin() {
    auto a = client::Admin::connect(config());
    EXPECT_TRUE(a) << a.error().describe();
    return std::move(*a);
  }
  // A new topic with a leader for every partition (Kafka's metadata trails
  // CreateTopics by a moment).
  void create(client::Admin& a, const std::string& topic, int32_t partitions,
              std::map<std::string, std::string> configs = {}) {
    auto created = a.create_topics({{topic, partitions, 1, std::move(configs)}});
    ASSERT_TRUE(created) << created.error().describe();
    ASSERT_FALSE(created->at(topic)) << created->at(topic).describe();
    for (int i = 0; i < 200; ++i) {
      auto d = a.describe_topics({topic});
      if (d && !d->empty() && !d->front().error && static_cast<int32_t>(d->front().partitions.size()) == partitions &&
          std::all_of(d->front().partitions.begin(), d->front().partitions.end(),
                      [](const auto& p) { return p.leader >= 0; })) {
        return;
      }
      std::this_thread::sleep_for(50ms);  // polling the broker's metadata
    }
    FAIL() << "no leaders for " << topic;
  }

  std::unique_ptr<EmbeddedBroker> broker_;
  std::string bootstrap_;
  std::string prefix_;
};

TEST_P(ClientLibrary, AdminTopicsAndConfigs) {
  auto a = admin();
  const std::string topic = prefix_ + "-t";
  create(*a, topic, 3, {{"retention.ms", "60000"}});
  auto again = a->create_topics({{topic, 1, 1, {}}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->at(topic).code, ErrorCode::TopicAlreadyExists);
  EXPECT_EQ(again->at(topic).message, "Topic '" + topic + "' already exists.");
  auto listed = a->list_topics();
  ASSERT_TRUE(listed);
  EXPECT_TRUE(std::any_of(listed->begin(), listed->end(), [&](const auto& t) { return t.name == topic; }));
  auto configs = a->describe_configs(client::ConfigResourceType::kTopic, topic);
  ASSERT_TRUE(configs) << configs.error().describe();
  auto retention = std::find_if(configs->begin(), configs->end(), [](const auto& c) { return c.name == "retention.ms"; });
  ASSERT_NE(retention, configs->end());
  EXPECT_EQ(retention->value, "60000");
  EXPECT_EQ(client::config_source_name(retention->source), "DYNAMIC_TOPIC_CONFIG");
  EXPECT_FALSE(a->incremental_alter_configs(client::ConfigResourceType::kTopic, topic,
                                            {{"segment.ms", client::AlterOp::kSet, "3600000"}}));
  const client::Error bad = a->incremental_alter_configs(client::ConfigResourceType::kTopic, topic,
                                                         {{"cleanup.policy", client::AlterOp::kSet, "sometimes"}});
  EXPECT_EQ(bad.code, ErrorCode::InvalidConfig) << bad.describe();
  auto grown = a->create_partitions({{topic, 4}});
  ASSERT_TRUE(grown);
  EXPECT_FALSE(grown->at(topic));
  auto shrunk = a->create_partitions({{topic, 2}});
  ASSERT_TRUE(shrunk);
  EXPECT_EQ(shrunk->at(topic).code, ErrorCode::InvalidPartitions);
  auto deleted = a->delete_topics({topic, prefix_ + "-none"});
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(deleted->at(topic));
  EXPECT_EQ(deleted->at(prefix_ + "-none").code, ErrorCode::UnknownTopicOrPartition);
  auto cluster = a->describe_cluster();
  ASSERT_TRUE(cluster) << cluster.error().describe();
  EXPECT_EQ(cluster->brokers.size(), 1u);
}

TEST_P(ClientLibrary, ProducedRecordsComeBackInOrderWithEveryCodec) {
  auto a = admin();
  const std::string topic = prefix_ + "-t";
  create(*a, topic, 3);
  std::map<TopicPartition, std::vector<int64_t>> delivered;
  for (auto codec : {records::Compression::kNone, records::Compression::kGzip, records::Compression::kSnappy,
                     records::Compression::kLz4, records::Compression::kZstd}) {
    client::ProducerConfig pc;
    pc.bootstrap_servers = bootstrap_;
    pc.compression = codec;
    pc.linger = 1000ms;  // everything goes out in flush()
    auto producer = client::Producer::connect(pc);
    ASSERT_TRUE(producer) << producer.error().describe();
    EXPECT_TRUE((*producer)->idempotent());
    for (int i = 0; i < 20; ++i) {
      const std::string key = "key-" + std::to_string(i % 7), value = "value-" + std::to_string(i);
      client::ProducerRecord r{topic, std::nullopt, wire::Bytes(key.begin(), key.end()),
                               wire::Bytes(value.begin(), value.end()), {{"h", wire::Bytes{'1'}}}, std::nullopt};
      const auto expected = client::partition_for_key(*r.key, 3);
      ASSERT_FALSE((*producer)->send(std::move(r), [&, expected](const client::RecordMetadata& m, const client::Error& e) {
        EXPECT_FALSE(e) << e.describe();
        EXPECT_EQ(m.partition, expected);
        delivered[{m.topic, m.partition}].push_back(m.offset);
      }));
    }
    (*producer)->flush();
  }
  size_t total = 0;
  for (const auto& [tp, offsets] : delivered) {
    for (size_t i = 0; i < offsets.size(); ++i) EXPECT_EQ(offsets[i], static_cast<int64_t>(i)) << tp.partition;
    total += offsets.size();
  }
  EXPECT_EQ(total, 100u);

  client::ConsumerConfig cc;
  cc.bootstrap_servers = bootstrap_;
  auto consumer = client::Consumer::connect(cc);
  ASSERT_TRUE(consumer);
  std::vector<TopicPartition> all = {{topic, 0}, {topic, 1}, {topic, 2}};
  ASSERT_FALSE((*consumer)->assign(all));
  ASSERT_FALSE((*consumer)->seek_to_beginning(all));
  std::map<int32_t, std::vector<client::ConsumerRecord>> got;
  size_t count = 0;
  for (int i = 0; i < 50 && count < 100; ++i) {
    auto polled = (*consumer)->poll(500ms);
    ASSERT_TRUE(polled) << polled.error().describe();
    for (auto& r : *polled) got[r.partition].push_back(std::move(r));
    count = 0;
    for (const auto& [p, rs] : got) count += rs.size();
  }
  ASSERT_EQ(count, 100u);
  for (const auto& [p, rs] : got) {
    for (size_t i = 0; i < rs.size(); ++i) {
      EXPECT_EQ(rs[i].offset, static_cast<int64_t>(i));
      ASSERT_EQ(rs[i].headers.size(), 1u);
      EXPECT_EQ(rs[i].headers[0].key, "h");
    }
  }
}

TEST_P(ClientLibrary, GroupsCommitAndResume) {
  auto a = admin();
  const std::string topic = prefix_ + "-t", group = prefix_ + "-g";
  create(*a, topic, 2);
  client::ProducerConfig pc;
  pc.bootstrap_servers = bootstrap_;
  auto producer = client::Producer::connect(pc);
  ASSERT_TRUE(producer);
  for (int i = 0; i < 10; ++i) {
    const std::string v = std::to_string(i);
    ASSERT_FALSE((*producer)->send({topic, i % 2, std::nullopt, wire::Bytes(v.begin(), v.end()), {}, std::nullopt}));
  }
  (*producer)->flush();

  client::ConsumerConfig cc;
  cc.bootstrap_servers = bootstrap_;
  cc.group_id = group;
  cc.auto_offset_reset = "earliest";
  cc.enable_auto_commit = false;
  auto consumer = client::Consumer::connect(cc);
  ASSERT_TRUE(consumer);
  ASSERT_FALSE((*consumer)->subscribe({topic}));
  size_t count = 0;
  for (int i = 0; i < 40 && count < 10; ++i) {
    auto polled = (*consumer)->poll(500ms);
    ASSERT_TRUE(polled) << polled.error().describe();
    count += polled->size();
  }
  ASSERT_EQ(count, 10u);
  EXPECT_EQ((*consumer)->assignment().size(), 2u);
  ASSERT_FALSE((*consumer)->commit_sync());
  auto described = a->describe_groups({group});
  ASSERT_TRUE(described);
  EXPECT_EQ(described->front().state, "Stable");
  ASSERT_EQ(described->front().members.size(), 1u);
  EXPECT_EQ(described->front().members[0].assignment.size(), 2u);
  EXPECT_EQ(described->front().protocol, "range");
  // Resetting is refused while the group has members (Kafka's rule).
  auto refused = a->alter_group_offsets(group, {{{topic, 0}, 0}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->at({topic, 0}).code, ErrorCode::UnknownMemberId);
  (*consumer)->close();
  auto offsets = a->list_group_offsets(group);
  ASSERT_TRUE(offsets);
  EXPECT_EQ(offsets->at({topic, 0}).offset, 5);
  EXPECT_EQ(offsets->at({topic, 1}).offset, 5);
  auto altered = a->alter_group_offsets(group, {{{topic, 0}, 2}});
  ASSERT_TRUE(altered);
  EXPECT_FALSE(altered->at({topic, 0}));

  auto again = client::Consumer::connect(cc);
  ASSERT_TRUE(again);
  ASSERT_FALSE((*again)->subscribe({topic}));
  std::vector<std::string> values;
  for (int i = 0; i < 40 && values.size() < 3; ++i) {
    auto polled = (*again)->poll(500ms);
    ASSERT_TRUE(polled);
    for (const auto& r : *polled) values.emplace_back(r.value->begin(), r.value->end());
  }
  EXPECT_EQ(values, (std::vector<std::string>{"4", "6", "8"}));
  (*again)->close();
  auto deleted = a->delete_groups({group, prefix_ + "-none"});
  ASSERT_TRUE(deleted);
  EXPECT_FALSE(deleted->at(group));
  EXPECT_EQ(deleted->at(prefix_ + "-none").code, ErrorCode::GroupIdNotFound);
}

TEST_P(ClientLibrary, TwoMembersShareThePartitions) {
  auto a = admin();
  const std::string topic = prefix_ + "-t", group = prefix_ + "-g";
  create(*a, topic, 4);
  client::ConsumerConfig cc;
  cc.bootstrap_servers = bootstrap_;
  cc.group_id = group;
  cc.heartbeat_interval = 200ms;
  std::atomic<bool> stop{false};
  std::atomic<size_t> sizes[2] = {0, 0};
  auto member = [&](int i) {
    auto c = client::Consumer::connect(cc);
    ASSERT_TRUE(c);
    ASSERT_FALSE((*c)->subscribe({topic}));
    while (!stop) {
      auto polled = (*c)->poll(100ms);
      ASSERT_TRUE(polled) << polled.error().describe();
      sizes[i] = (*c)->assignment().size();
    }
    (*c)->close();
  };
  std::thread first(member, 0), second(member, 1);
  for (int i = 0; i < 300 && !(sizes[0] == 2 && sizes[1] == 2); ++i) std::this_thread::sleep_for(50ms);  // polling
  const size_t a0 = sizes[0], a1 = sizes[1];
  stop = true;
  first.join();
  second.join();
  EXPECT_EQ(a0, 2u);
  EXPECT_EQ(a1, 2u);
}

TEST_P(ClientLibrary, OffsetsByTimeAndDeletedRecords) {
  auto a = admin();
  const std::string topic = prefix_ + "-t";
  create(*a, topic, 1);
  client::ProducerConfig pc;
  pc.bootstrap_servers = bootstrap_;
  pc.linger = 0ms;
  auto producer = client::Producer::connect(pc);
  ASSERT_TRUE(producer);
  // Recent timestamps: records from 1970 would be retention's (7 days) to
  // delete, and the reference broker checks retention every second.
  const int64_t base = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count() - 10000;
  for (int64_t ts : {base + 1000, base + 2000, base + 3000}) {
    ASSERT_FALSE((*producer)->send({topic, 0, std::nullopt, wire::Bytes{'x'}, {}, ts}));
  }
  (*producer)->flush();
  const TopicPartition tp{topic, 0};
  auto at = a->list_offsets({{tp, {base + 1500}}});
  ASSERT_TRUE(at);
  EXPECT_EQ(at->at(tp).offset, 1);
  auto max = a->list_offsets({{tp, {client::OffsetSpec::kMaxTimestamp}}});
  ASSERT_TRUE(max);
  EXPECT_EQ(max->at(tp).offset, 2);
  auto deleted = a->delete_records({{tp, 2}});
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->at(tp).offset, 2);
  auto earliest = a->list_offsets({{tp, {client::OffsetSpec::kEarliest}}});
  ASSERT_TRUE(earliest);
  EXPECT_EQ(earliest->at(tp).offset, 2);
}

INSTANTIATE_TEST_SUITE_P(BothBrokers, ClientLibrary, ::testing::Values("kafkalite", "kafka"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace kafkalite::crosscheck
