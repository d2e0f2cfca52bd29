// Topic administration: CreateTopics, DeleteTopics, CreatePartitions,
// Metadata and DescribeTopicPartitions, success and error paths.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

CROSSCHECK_SCENARIO(create_topics_errors, "") {
  s.create_topic(s.name("three"), 3);
  s.call<CreateTopicsApi>("already exists", create_topics_request(s.name("three"), 3));
  s.call<CreateTopicsApi>("invalid characters", create_topics_request(s.name("bad name!"), 1));
  s.call<CreateTopicsApi>("dot", create_topics_request(".", 1));
  s.call<CreateTopicsApi>("empty name", create_topics_request("", 1));
  s.call<CreateTopicsApi>("250 characters", create_topics_request(std::string(250, 'x'), 1));
  s.call<CreateTopicsApi>("zero partitions", create_topics_request(s.name("p0"), 0));
  s.call<CreateTopicsApi>("negative partitions", create_topics_request(s.name("pneg"), -5));
  s.call<CreateTopicsApi>("replication factor 3", create_topics_request(s.name("rf3"), 1, 3));
  s.call<CreateTopicsApi>("replication factor 0", create_topics_request(s.name("rf0"), 1, 0));
  s.call<CreateTopicsApi>("10000 partitions", create_topics_request(s.name("huge"), 10000));
  auto bad_config = create_topics_request(s.name("badcfg"), 1);
  auto& c = bad_config.topics[0].configs.emplace_back();
  c.name = "cleanup.policy";
  c.value = "sometimes";
  s.call<CreateTopicsApi>("invalid config value", bad_config);
  c.name = "retention.ms";
  c.value = "-5";
  s.call<CreateTopicsApi>("config below its range", bad_config);
  c.name = "min.cleanable.dirty.ratio";
  c.value = "2";
  s.call<CreateTopicsApi>("double config above its range", bad_config);
  c.name = "compression.type";
  c.value = "brotli";
  s.call<CreateTopicsApi>("config not one of its values", bad_config);
  c.name = "cleanup.policy";
  c.value = "compact,delete";
  s.call<CreateTopicsApi>("list config with two valid values", bad_config);
  auto unknown_config = create_topics_request(s.name("unknowncfg"), 1);
  auto& u = unknown_config.topics[0].configs.emplace_back();
  u.name = "no.such.config";
  u.value = "1";
  s.call<CreateTopicsApi>("unknown config", unknown_config);
  auto validate = create_topics_request(s.name("validate"), 2);
  validate.validate_only = true;
  s.call<CreateTopicsApi>("validate only", validate);
  s.call<MetadataApi>("validate-only topic does not exist",
                      metadata_request(std::vector<std::string>{s.name("validate")}));
  auto defaults = create_topics_request(s.name("defaults"), -1, -1);
  s.call<CreateTopicsApi>("broker defaults (-1, -1)", defaults);
  s.await_topic(s.name("defaults"), 1);
  s.call<CreateTopicsApi>("v4 already exists",
                          create_topics_request(s.name("three"), 3), 4);
  s.call<CreateTopicsApi>("v2 invalid name", create_topics_request(s.name("bad name!"), 1), 2);
}

CROSSCHECK_SCENARIO(metadata_shapes, "") {
  s.create_topic(s.name("two"), 2);
  s.call<MetadataApi>("own topic", metadata_request(std::vector<std::string>{s.name("two")}));
  s.call<MetadataApi>("unknown topic, no auto-create",
                      metadata_request(std::vector<std::string>{s.name("missing")}));
  s.call<MetadataApi>("invalid name", metadata_request(std::vector<std::string>{"bad name!"}));
  s.call<MetadataApi>("all topics", metadata_request(std::nullopt), 12, Listing::kOwnOnly);
  s.call<MetadataApi>("empty list (brokers only)", metadata_request(std::vector<std::string>{}));
  s.call<MetadataApi>("v1 own topic", metadata_request(std::vector<std::string>{s.name("two")}), 1);
  s.call<MetadataApi>("v9 own topic", metadata_request(std::vector<std::string>{s.name("two")}), 9);
  auto by_id = metadata_request(std::vector<std::string>{});
  auto& t = by_id.topics->emplace_back();
  t.name = std::nullopt;
  t.topic_id.bytes[15] = 7;
  s.call<MetadataApi>("unknown topic id", by_id);
}

CROSSCHECK_SCENARIO(metadata_auto_create, "") {
  const std::string topic = s.name("auto");
  s.call<MetadataApi>("first request creates",
                      metadata_request(std::vector<std::string>{topic}, true));
  s.await_topic(topic, 1);
  s.call<MetadataApi>("then it is there", metadata_request(std::vector<std::string>{topic}, true));
  s.call<MetadataApi>("invalid name is not created",
                      metadata_request(std::vector<std::string>{s.name("bad/name")}, true));
}

CROSSCHECK_SCENARIO(delete_topics, "") {
  s.create_topic(s.name("doomed"), 2);
  s.create_topic(s.name("by-id"), 1);
  DeleteTopicsRequest by_name;
  by_name.timeout_ms = 30000;
  by_name.topics.emplace_back().name = TopicName(s.name("doomed"));
  by_name.topics.emplace_back().name = TopicName(s.name("never-was"));
  s.call<DeleteTopicsApi>("delete existing and unknown", by_name);
  s.await_topic_gone(s.name("doomed"));
  s.call<MetadataApi>("deleted topic is gone",
                      metadata_request(std::vector<std::string>{s.name("doomed")}));
  auto id = s.quiet<MetadataApi>(metadata_request(std::vector<std::string>{s.name("by-id")}), 12)
                .topics.at(0)
                .topic_id;
  DeleteTopicsRequest by_id;
  by_id.timeout_ms = 30000;
  auto& t = by_id.topics.emplace_back();
  t.name = std::nullopt;
  t.topic_id = id;
  auto& unknown = by_id.topics.emplace_back();
  unknown.name = std::nullopt;
  unknown.topic_id.bytes[0] = 42;
  s.call<DeleteTopicsApi>("delete by id, known and unknown", by_id);
  s.await_topic_gone(s.name("by-id"));
  DeleteTopicsRequest old;
  old.timeout_ms = 30000;
  old.topic_names = {TopicName(s.name("never-was"))};
  s.call<DeleteTopicsApi>("v3 unknown", old, 3);
}

CROSSCHECK_SCENARIO(create_partitions, "") {
  s.create_topic(s.name("grow"), 1);
  auto grow = [&](const std::string& topic, int32_t count, bool validate_only = false) {
    CreatePartitionsRequest request;
    request.timeout_ms = 30000;
    request.validate_only = validate_only;
    auto& t = request.topics.emplace_back();
    t.name = TopicName(topic);
    t.count = count;
    t.assignments = std::nullopt;  // null: the broker places them (Kafka's default is [])
    return request;
  };
  s.call<CreatePartitionsApi>("validate 1 -> 4", grow(s.name("grow"), 4, true));
  s.call<CreatePartitionsApi>("1 -> 3", grow(s.name("grow"), 3));
  s.await_topic(s.name("grow"), 3);
  s.call<CreatePartitionsApi>("3 -> 3", grow(s.name("grow"), 3));
  s.call<CreatePartitionsApi>("3 -> 2", grow(s.name("grow"), 2));
  s.call<CreatePartitionsApi>("unknown topic", grow(s.name("missing"), 2));
  auto with_assignment = grow(s.name("grow"), 5);
  with_assignment.topics[0].assignments.emplace();
  with_assignment.topics[0].assignments->emplace_back().broker_ids = {BrokerId(1)};
  s.call<CreatePartitionsApi>("assignment for 1 of 2 new partitions", with_assignment);
  auto twice = grow(s.name("grow"), 4);
  twice.topics.push_back(twice.topics[0]);
  s.call<CreatePartitionsApi>("same topic twice", twice);
  s.call<MetadataApi>("after", metadata_request(std::vector<std::string>{s.name("grow")}));
}

CROSSCHECK_SCENARIO(describe_topic_partitions, "") {
  s.create_topic(s.name("a"), 3);
  s.create_topic(s.name("b"), 1);
  DescribeTopicPartitionsRequest request;
  request.topics.emplace_back().name = TopicName(s.name("a"));
  request.topics.emplace_back().name = TopicName(s.name("b"));
  request.topics.emplace_back().name = TopicName(s.name("missing"));
  s.call<DescribeTopicPartitionsApi>("two topics and an unknown one", request);
  request.response_partition_limit = 2;
  s.call<DescribeTopicPartitionsApi>("limit 2 partitions", request);
  request.cursor.emplace();
  request.cursor->topic_name = TopicName(s.name("a"));
  request.cursor->partition_index = 2;
  s.call<DescribeTopicPartitionsApi>("from a cursor", request);
}

}  // namespace kafkalite::crosscheck
