// Every version of each API kafkalite serves, one scenario per API: the
// same request at each version, so what differs between versions (fields
// that appear, nullability, old defaults) is compared with Kafka too.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

// Calls `make(v)` at every version from Api's oldest to its newest stable.
template <typename Api, typename Make>
void each_version(Session& s, const std::string& label, Make make, int16_t from = Api::min_version,
                  Listing listing = Listing::kAsIs) {
  for (int16_t v = from; v <= Api::max_stable_version; ++v) {
    s.call<Api>(label + ", v" + std::to_string(v), make(v), v, listing);
  }
}

}  // namespace

// The APIs both serve (Kafka serves many kafkalite does not yet): the error
// and their ranges. (Feature levels in full: kraft.cpp.)
CROSSCHECK_SCENARIO(versions_api_versions, "") {
  for (int16_t v = ApiVersionsApi::min_version; v <= ApiVersionsApi::max_stable_version; ++v) {
    ApiVersionsRequest r;
    r.client_software_name = "crosscheck";
    r.client_software_version = "1.0";
    const auto answer = s.quiet<ApiVersionsApi>(r, v);
    json shared = json::object();
    for (const auto& k : answer.api_keys) {
      if (k.api_key == 0 || k.api_key == 1 || k.api_key == 3 || k.api_key == 8 || k.api_key == 9 ||
          k.api_key == 11 || k.api_key == 18 || k.api_key == 19 || k.api_key == 60) {
        shared[std::to_string(k.api_key)] = {k.min_version, k.max_version};
      }
    }
    // The features kafkalite claims, as Kafka reports them (the others it
    // does not claim until their behaviour exists; see api_versions.cpp).
    json features = json::object();
    for (const auto& f : answer.supported_features) {
      if (f.name == "metadata.version") features["supported " + f.name] = {f.min_version, f.max_version};
    }
    for (const auto& f : answer.finalized_features) {
      if (f.name == "metadata.version") features["finalized " + f.name] = {f.min_version_level, f.max_version_level};
    }
    features["epoch known"] = answer.finalized_features_epoch >= 0;
    s.note("api versions, v" + std::to_string(v),
           {{"error_code", static_cast<int16_t>(answer.error_code)}, {"throttle", answer.throttle_time_ms},
            {"some apis", shared}, {"features", features}});
  }
}

// KIP-511: from v3 the client's software name and version must match
// [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?; otherwise INVALID_REQUEST.
CROSSCHECK_SCENARIO(versions_api_versions_client_names, "") {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"", ""}, {"crosscheck", ""}, {"-crosscheck", "1.0"}, {"cross check", "1.0"}, {"crosscheck", "1.0-"},
      {"cross.check-2", "1.0.0-rc1"}, {"x", "1"}};
  for (const auto& [name, version] : names) {
    for (int16_t v : {2, 3, 4}) {
      ApiVersionsRequest r;
      r.client_software_name = name;
      r.client_software_version = version;
      const auto answer = s.quiet<ApiVersionsApi>(r, v);
      s.note("'" + name + "' '" + version + "' v" + std::to_string(v),
             {{"error_code", static_cast<int16_t>(answer.error_code)}, {"apis listed", !answer.api_keys.empty()}});
    }
  }
}

CROSSCHECK_SCENARIO(versions_metadata, "") {
  const std::string topic = s.name("m");
  s.create_topic(topic, 2);
  each_version<MetadataApi>(s, "known topic", [&](int16_t) {
    return metadata_request(std::vector<std::string>{topic});
  });
  // Before v4 a Metadata request always allows auto-creation (which Kafka
  // completes a moment later): ask for unknown topics from v4 only.
  each_version<MetadataApi>(s, "unknown topic", [&](int16_t) {
    return metadata_request(std::vector<std::string>{s.name("missing")});
  }, 4);
  each_version<MetadataApi>(s, "with authorized operations", [&](int16_t) {
    auto r = metadata_request(std::vector<std::string>{topic});
    r.include_topic_authorized_operations = true;
    r.include_cluster_authorized_operations = true;
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_produce, "") {
  const std::string topic = s.name("p");
  s.create_topic(topic, 1);
  each_version<ProduceApi>(s, "one batch", [&](int16_t v) {
    return produce_request(s, topic, 0, s.batch(2, "v" + std::to_string(v) + "-"));
  });
  each_version<ProduceApi>(s, "unknown partition", [&](int16_t) { return produce_request(s, topic, 3, s.batch(1)); });
}

CROSSCHECK_SCENARIO(versions_fetch, "") {
  const std::string topic = s.name("f");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("3 records", produce_request(s, topic, 0, s.batch(3)));
  each_version<FetchApi>(s, "from 1", [&](int16_t) { return fetch_request(s, topic, 0, 1); });
  each_version<FetchApi>(s, "read committed", [&](int16_t) {
    auto r = fetch_request(s, topic, 0, 0);
    r.isolation_level = 1;
    return r;
  });
  each_version<FetchApi>(s, "out of range", [&](int16_t) { return fetch_request(s, topic, 0, 50); });
}

CROSSCHECK_SCENARIO(versions_list_offsets, "") {
  const std::string topic = s.name("l");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("4 records", produce_request(s, topic, 0, s.batch(4)));
  for (int64_t ts : {-1L, -2L}) {
    each_version<ListOffsetsApi>(s, "timestamp " + std::to_string(ts),
                                 [&](int16_t) { return list_offsets_request(topic, 0, ts); });
  }
  each_version<ListOffsetsApi>(s, "by time", [&](int16_t) { return list_offsets_request(topic, 0, s.base_time_ms() + 1); });
  each_version<ListOffsetsApi>(s, "read committed, latest", [&](int16_t) {
    auto r = list_offsets_request(topic, 0, -1);
    r.isolation_level = 1;
    return r;
  }, 2);
}

CROSSCHECK_SCENARIO(versions_create_topics, "") {
  each_version<CreateTopicsApi>(s, "create", [&](int16_t v) {
    return create_topics_request(s.name("c" + std::to_string(v)), 2);
  });
  each_version<CreateTopicsApi>(s, "validate only with a config", [&](int16_t v) {
    auto r = create_topics_request(s.name("vo" + std::to_string(v)), 1);
    r.validate_only = true;
    auto& c = r.topics[0].configs.emplace_back();
    c.name = "retention.ms";
    c.value = "1000";
    return r;
  });
  each_version<CreateTopicsApi>(s, "exists", [&](int16_t) { return create_topics_request(s.name("c2"), 2); });
}

CROSSCHECK_SCENARIO(versions_delete_topics, "") {
  for (int16_t v = DeleteTopicsApi::min_version; v <= DeleteTopicsApi::max_stable_version; ++v) {
    s.create_topic(s.name("d" + std::to_string(v)), 1);
  }
  each_version<DeleteTopicsApi>(s, "delete", [&](int16_t v) {
    DeleteTopicsRequest r;
    r.timeout_ms = 30000;
    if (v >= 6) {
      r.topics.push_back({TopicName(s.name("d" + std::to_string(v))), wire::Uuid{}, {}});
    } else {
      r.topic_names = {TopicName(s.name("d" + std::to_string(v)))};
    }
    return r;
  });
  each_version<DeleteTopicsApi>(s, "unknown", [&](int16_t v) {
    DeleteTopicsRequest r;
    r.timeout_ms = 30000;
    if (v >= 6) {
      r.topics.push_back({TopicName(s.name("none")), wire::Uuid{}, {}});
    } else {
      r.topic_names = {TopicName(s.name("none"))};
    }
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_create_partitions, "") {
  const std::string topic = s.name("grow");
  s.create_topic(topic, 1);
  int32_t count = 1;
  each_version<CreatePartitionsApi>(s, "one more", [&](int16_t) {
    CreatePartitionsRequest r;
    r.timeout_ms = 30000;
    r.topics.push_back({TopicName(topic), ++count, std::nullopt, {}});
    return r;
  });
  each_version<CreatePartitionsApi>(s, "unknown topic", [&](int16_t) {
    CreatePartitionsRequest r;
    r.timeout_ms = 30000;
    r.topics.push_back({TopicName(s.name("none")), 3, std::nullopt, {}});
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_delete_records, "") {
  const std::string topic = s.name("dr");
  s.create_topic(topic, 1);
  s.call<ProduceApi>("6 records", produce_request(s, topic, 0, s.batch(6)));
  int64_t upto = 0;
  each_version<DeleteRecordsApi>(s, "one more", [&](int16_t) {
    DeleteRecordsRequest r;
    r.timeout_ms = 30000;
    r.topics.push_back({TopicName(topic), {{0, ++upto, {}}}, {}});
    return r;
  });
  each_version<DeleteRecordsApi>(s, "up to the high watermark (-1)", [&](int16_t) {
    DeleteRecordsRequest r;
    r.timeout_ms = 30000;
    r.topics.push_back({TopicName(topic), {{0, -1, {}}}, {}});
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_describe_configs, "") {
  const std::string topic = s.name("dc");
  s.create_topic(topic, 1, {{"retention.ms", "5000000"}});
  each_version<DescribeConfigsApi>(s, "three topic keys", [&](int16_t) {
    DescribeConfigsRequest r;
    auto& res = r.resources.emplace_back();
    res.resource_type = 2;
    res.resource_name = topic;
    res.configuration_keys = std::vector<std::string>{"retention.ms", "cleanup.policy", "segment.bytes"};
    r.include_synonyms = true;
    return r;
  });
  each_version<DescribeConfigsApi>(s, "a broker key", [&](int16_t) {
    DescribeConfigsRequest r;
    auto& res = r.resources.emplace_back();
    res.resource_type = 4;
    res.resource_name = "1";
    res.configuration_keys = std::vector<std::string>{"log.retention.hours", "num.partitions"};
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_describe_cluster_and_log_dirs, "") {
  each_version<DescribeClusterApi>(s, "describe cluster", [](int16_t) {
    DescribeClusterRequest r;
    r.include_cluster_authorized_operations = true;
    return r;
  });
  const std::string topic = s.name("ld");
  s.create_topic(topic, 1);
  each_version<DescribeLogDirsApi>(s, "a topic", [&](int16_t) {
    DescribeLogDirsRequest r;
    r.topics.emplace();
    auto& t = r.topics->emplace_back();
    t.topic = TopicName(topic);
    t.partitions = {0};
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_init_producer_id_and_describe_producers, "") {
  each_version<InitProducerIdApi>(s, "idempotent producer", [](int16_t) {
    InitProducerIdRequest r;
    r.transactional_id = std::nullopt;
    r.transaction_timeout_ms = 60000;
    return r;
  });
  const std::string topic = s.name("dp");
  s.create_topic(topic, 1);
  each_version<DescribeProducersApi>(s, "describe producers", [&](int16_t) {
    DescribeProducersRequest r;
    r.topics.push_back({TopicName(topic), {0, 5}, {}});
    r.topics.push_back({TopicName(s.name("none")), {0}, {}});
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_find_coordinator, "") {
  const std::string group = s.name("g");
  FindCoordinatorRequest wait;
  wait.coordinator_keys = {group};
  Session::poll([&] {
    auto r = s.quiet<FindCoordinatorApi>(wait);
    return r.coordinators.empty() || r.coordinators[0].error_code != ErrorCode::CoordinatorNotAvailable;
  });
  each_version<FindCoordinatorApi>(s, "a group", [&](int16_t v) {
    FindCoordinatorRequest r;
    if (v >= 4) {
      r.coordinator_keys = {group};
    } else {
      r.key = group;
    }
    return r;
  });
}

CROSSCHECK_SCENARIO(versions_offsets_of_a_simple_group, "") {
  const std::string topic = s.name("o"), group = s.name("g");
  s.create_topic(topic, 1);
  FindCoordinatorRequest wait;
  wait.coordinator_keys = {group};
  Session::poll([&] {
    auto r = s.quiet<FindCoordinatorApi>(wait);
    return r.coordinators.empty() || r.coordinators[0].error_code != ErrorCode::CoordinatorNotAvailable;
  });
  int64_t offset = 0;
  each_version<OffsetCommitApi>(s, "commit", [&](int16_t) {
    OffsetCommitRequest r;
    r.group_id = GroupId(group);
    r.generation_id_or_member_epoch = -1;
    auto& t = r.topics.emplace_back();
    t.name = TopicName(topic);
    t.partitions.push_back({0, ++offset, -1, std::string("meta"), {}});
    return r;
  });
  each_version<OffsetFetchApi>(s, "fetch", [&](int16_t v) {
    OffsetFetchRequest r;
    if (v >= 8) {
      auto& g = r.groups.emplace_back();
      g.group_id = GroupId(group);
      g.topics.emplace().push_back({TopicName(topic), {}, {0, 1}, {}});
    } else {
      r.group_id = GroupId(group);
      r.topics.emplace().push_back({TopicName(topic), {0, 1}, {}});
    }
    return r;
  });
  each_version<ListGroupsApi>(s, "list", [](int16_t) { return ListGroupsRequest{}; }, ListGroupsApi::min_version,
                             Listing::kOwnOnly);
  each_version<DescribeGroupsApi>(s, "describe", [&](int16_t) {
    DescribeGroupsRequest r;
    r.groups = {GroupId(group)};
    r.include_authorized_operations = true;
    return r;
  });
}

}  // namespace kafkalite::crosscheck
