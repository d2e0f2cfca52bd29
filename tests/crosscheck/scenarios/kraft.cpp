// Kafka 4.x's KRaft face: feature levels (ApiVersions, UpdateFeatures) and
// the quorum (DescribeQuorum). kafkalite claims fewer features than Kafka
// (cluster/features.h says which and why): the claimed ones must be
// Kafka's, in Kafka's order, and every refusal Kafka's. Updates that would
// change the shared reference broker are sent validate-only, or as no-ops.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

const std::set<std::string> kClaimed = {"metadata.version", "kraft.version", "transaction.version",
                                        "eligible.leader.replicas.version", "group.version"};

UpdateFeaturesRequest feature_update(const std::string& name, int16_t level, int8_t type, bool validate_only) {
  UpdateFeaturesRequest request;
  request.feature_updates.push_back({name, level, false, type, {}});
  request.validate_only = validate_only;
  return request;
}

}  // namespace

namespace {

ApiVersionsRequest named_api_versions_request() {
  ApiVersionsRequest request;
  request.client_software_name = "crosscheck";
  request.client_software_version = "1.0";
  return request;
}

}  // namespace

CROSSCHECK_SCENARIO(kraft_api_versions_features, "") {
  for (int16_t v = 3; v <= ApiVersionsApi::max_stable_version; ++v) {
    const auto answer = s.quiet<ApiVersionsApi>(named_api_versions_request(), v);
    json supported = json::array(), finalized = json::array();
    for (const auto& f : answer.supported_features) {
      if (kClaimed.count(f.name)) supported.push_back({f.name, f.min_version, f.max_version});
    }
    for (const auto& f : answer.finalized_features) {
      if (kClaimed.count(f.name)) finalized.push_back({f.name, f.min_version_level, f.max_version_level});
    }
    s.note("features, v" + std::to_string(v),
           {{"error_code", static_cast<int16_t>(answer.error_code)}, {"supported", supported},
            {"finalized", finalized}, {"epoch known", answer.finalized_features_epoch >= 0}});
  }
  // The epoch is the metadata log's last offset: it moves on (a no-op
  // record every 500 ms); a client takes features only from a newer epoch.
  const int64_t first = s.quiet<ApiVersionsApi>(named_api_versions_request(), 4).finalized_features_epoch;
  s.note("epoch moves on", Session::poll([&] {
    return s.quiet<ApiVersionsApi>(named_api_versions_request(), 4).finalized_features_epoch > first;
  }));
}

CROSSCHECK_SCENARIO(kraft_update_features_refused, "") {
  struct Case {
    const char* label;
    const char* feature;
    int16_t level;
    int8_t type;
  };
  const Case cases[] = {
      {"metadata.version beyond 4.1-IV1", "metadata.version", 28, 1},
      {"metadata.version below 3.3-IV3", "metadata.version", 6, 2},
      {"metadata.version past a format change", "metadata.version", 22, 2},
      {"metadata.version unsafe past a format change", "metadata.version", 22, 3},
      {"transaction.version beyond 2", "transaction.version", 3, 1},
      {"transaction.version down as an upgrade", "transaction.version", 1, 1},
      {"transaction.version up as a downgrade", "transaction.version", 3, 2},
      {"a negative level", "transaction.version", -1, 2},
      {"an unknown upgrade type", "transaction.version", 1, 7},
      {"an unknown feature", "no.such.feature", 1, 1},
      {"streams.version (not in 4.1)", "streams.version", 1, 1},
      {"kraft.version beyond 1", "kraft.version", 2, 1},
      {"eligible.leader.replicas.version beyond 1", "eligible.leader.replicas.version", 2, 1},
  };
  for (const auto& c : cases) {
    for (int16_t v = UpdateFeaturesApi::min_version; v <= UpdateFeaturesApi::max_stable_version; ++v) {
      if (v == 0 && c.type != 1) continue;  // v0 has no upgrade type
      s.call<UpdateFeaturesApi>(std::string(c.label) + ", v" + std::to_string(v),
                                feature_update(c.feature, c.level, c.type, false), v);
    }
  }
  // Several updates: all or none, the first refusal in Kafka's order reported.
  UpdateFeaturesRequest several = feature_update("transaction.version", 1, 2, false);
  several.feature_updates.push_back({"metadata.version", 30, false, 1, {}});
  several.feature_updates.push_back({"eligible.leader.replicas.version", 5, false, 1, {}});
  s.call<UpdateFeaturesApi>("three updates, two refused", several);
}

CROSSCHECK_SCENARIO(kraft_update_features_accepted, "") {
  for (int16_t v = UpdateFeaturesApi::min_version; v <= UpdateFeaturesApi::max_stable_version; ++v) {
    const auto suffix = ", v" + std::to_string(v);
    // No-ops on the shared reference: the current levels again.
    s.call<UpdateFeaturesApi>("transaction.version at its level" + suffix,
                              feature_update("transaction.version", 2, 1, false), v);
    s.call<UpdateFeaturesApi>("metadata.version at its level" + suffix,
                              feature_update("metadata.version", 27, 1, false), v);
    if (v == 0) continue;
    s.call<UpdateFeaturesApi>("kraft.version down to its level" + suffix,
                              feature_update("kraft.version", 0, 2, false), v);
    s.call<UpdateFeaturesApi>("transaction.version down, validate only" + suffix,
                              feature_update("transaction.version", 0, 2, true), v);
    s.call<UpdateFeaturesApi>("metadata.version down to 4.0-IV1, validate only" + suffix,
                              feature_update("metadata.version", 23, 2, true), v);
    s.call<UpdateFeaturesApi>("eligible.leader.replicas.version off, validate only" + suffix,
                              feature_update("eligible.leader.replicas.version", 0, 3, true), v);
  }
}

CROSSCHECK_SCENARIO(kraft_describe_quorum, "") {
  for (int16_t v = DescribeQuorumApi::min_version; v <= DescribeQuorumApi::max_stable_version; ++v) {
    DescribeQuorumRequest request;
    request.topics.push_back({TopicName("__cluster_metadata"), {{0, {}}}, {}});
    const auto answer = s.quiet<DescribeQuorumApi>(request, v);
    // The figures that depend on the broker's history and clock, as facts.
    json facts = {{"error_code", static_cast<int16_t>(answer.error_code)},
                  {"error_message", answer.error_message.value_or("<null>")}};
    const auto& t = answer.topics.at(0);
    const auto& p = t.partitions.at(0);
    facts["topic"] = t.topic_name.value();
    facts["partition"] = {p.partition_index, static_cast<int16_t>(p.error_code), p.error_message.value_or("<null>")};
    facts["leader is the voter"] = p.current_voters.size() == 1 && p.current_voters[0].replica_id == p.leader_id;
    facts["leader epoch"] = p.leader_epoch >= 1;
    facts["high watermark"] = p.high_watermark >= 0;
    facts["observers"] = p.observers.size();
    if (!p.current_voters.empty()) {
      const auto& voter = p.current_voters[0];
      facts["voter log end at or past the high watermark"] = voter.log_end_offset >= p.high_watermark;
      facts["voter times"] = {voter.last_fetch_timestamp > 0, voter.last_caught_up_timestamp > 0};
      facts["voter directory id"] = voter.replica_directory_id.to_base64();
    }
    json nodes = json::array();
    for (const auto& n : answer.nodes) {
      json listeners = json::array();
      for (const auto& l : n.listeners) listeners.push_back(l.name);
      nodes.push_back({n.node_id == p.leader_id, listeners});
    }
    facts["nodes"] = nodes;
    s.note("describe quorum, v" + std::to_string(v), facts);
  }
  for (int16_t v = DescribeQuorumApi::min_version; v <= DescribeQuorumApi::max_stable_version; ++v) {
    const auto suffix = ", v" + std::to_string(v);
    DescribeQuorumRequest other;
    other.topics.push_back({TopicName("__consumer_offsets"), {{0, {}}}, {}});
    s.call<DescribeQuorumApi>("another topic" + suffix, other, v);
    DescribeQuorumRequest two;
    two.topics.push_back({TopicName("__cluster_metadata"), {{0, {}}, {1, {}}}, {}});
    s.call<DescribeQuorumApi>("two partitions" + suffix, two, v);
    s.call<DescribeQuorumApi>("no topics" + suffix, DescribeQuorumRequest{}, v);
  }
}

}  // namespace kafkalite::crosscheck
