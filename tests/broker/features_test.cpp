// Feature levels (UpdateFeatures, ApiVersions) and the KRaft quorum
// (DescribeQuorum) as kafkalite keeps them across restarts; the answers
// themselves are cross-checked against Kafka in tests/crosscheck/scenarios/kraft.cpp.
#include <filesystem>

#include "tests/broker/config_fixture.h"

namespace kafkalite::testing {
namespace {

std::string temp_dir(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() / ("kafkalite-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  return path.string();
}

int16_t finalized(const ApiVersionsResponse& r, const std::string& name) {
  for (const auto& f : r.finalized_features) {
    if (f.name == name) return f.max_version_level;
  }
  return 0;
}

UpdateFeaturesResponse update(client::Connection& c, const std::string& feature, int16_t level, int8_t type,
                              bool validate_only = false) {
  UpdateFeaturesRequest request;
  request.feature_updates.push_back({feature, level, false, type, {}});
  request.validate_only = validate_only;
  return c.request<UpdateFeaturesApi>(request, 2);
}

DescribeQuorumResponse describe_quorum(client::Connection& c) {
  DescribeQuorumRequest request;
  request.topics.push_back({TopicName("__cluster_metadata"), {{0, {}}}, {}});
  return c.request<DescribeQuorumApi>(request, 2);
}

TEST(Features, LevelsAndQuorumSurviveARestartAndTheEpochsMoveOn) {
  const std::string dir = temp_dir("features");
  int64_t features_epoch = -1;
  {
    auto broker = EmbeddedBroker::start({dir, {}});
    client::Connection c(broker->bootstrap());
    auto versions = c.request<ApiVersionsApi>(api_versions_request(), 4);
    EXPECT_EQ(finalized(versions, "transaction.version"), 2);
    EXPECT_EQ(finalized(versions, "kraft.version"), 0);
    const auto quorum = describe_quorum(c);
    EXPECT_EQ(quorum.topics.at(0).partitions.at(0).leader_epoch, 1);
    EXPECT_TRUE(quorum.topics.at(0).partitions.at(0).current_voters.at(0).replica_directory_id.is_zero());
    ASSERT_EQ(update(c, "transaction.version", 1, 2).error_code, ErrorCode::None);
    ASSERT_EQ(update(c, "kraft.version", 1, 1).error_code, ErrorCode::None);
    versions = c.request<ApiVersionsApi>(api_versions_request(), 4);
    EXPECT_EQ(finalized(versions, "transaction.version"), 1);
    EXPECT_EQ(finalized(versions, "kraft.version"), 1);
    features_epoch = versions.finalized_features_epoch;
    EXPECT_GE(features_epoch, 1);
    EXPECT_FALSE(describe_quorum(c).topics.at(0).partitions.at(0).current_voters.at(0).replica_directory_id.is_zero());
  }
  auto broker = EmbeddedBroker::start({dir, {}});
  client::Connection c(broker->bootstrap());
  const auto versions = c.request<ApiVersionsApi>(api_versions_request(), 4);
  EXPECT_EQ(finalized(versions, "transaction.version"), 1);
  EXPECT_EQ(finalized(versions, "kraft.version"), 1);
  EXPECT_GT(versions.finalized_features_epoch, features_epoch) << "clients take features only from a newer epoch";
  const auto quorum = describe_quorum(c);
  EXPECT_EQ(quorum.topics.at(0).partitions.at(0).leader_epoch, 2) << "a lone voter elects itself at each start";
  EXPECT_GT(quorum.topics.at(0).partitions.at(0).high_watermark, features_epoch);
  std::filesystem::remove_all(dir);
}

TEST_F(BrokerTest, UpdateFeaturesIsAllOrNothingAndValidateOnlyChangesNothing) {
  auto c = connect();
  UpdateFeaturesRequest request;
  request.feature_updates.push_back({"transaction.version", 1, false, 2, {}});
  request.feature_updates.push_back({"metadata.version", 28, false, 1, {}});
  auto answer = c.request<UpdateFeaturesApi>(request, 2);
  EXPECT_EQ(answer.error_code, ErrorCode::InvalidUpdateVersion);
  EXPECT_EQ(answer.error_message,
            "The update failed for all features since the following feature had an error: Invalid update version 28 "
            "for feature metadata.version. Local controller 1 only supports versions 7-27");
  EXPECT_EQ(update(c, "transaction.version", 1, 2, /*validate_only=*/true).error_code, ErrorCode::None);
  EXPECT_EQ(finalized(c.request<ApiVersionsApi>(api_versions_request(), 4), "transaction.version"), 2);
  // Not claimed (no share groups): refused as an unknown feature.
  EXPECT_EQ(update(c, "share.version", 1, 1).error_message,
            "The update failed for all features since the following feature had an error: Invalid update version 1 "
            "for feature share.version. Local controller 1 does not support this feature.");
  // Claimed (KIP-848 consumer groups): a new cluster has it at 1.
  EXPECT_EQ(finalized(c.request<ApiVersionsApi>(api_versions_request(), 4), "group.version"), 1);
}

bool has_config(const DescribeConfigsResponse::DescribeConfigsResult& r, const std::string& name) {
  for (const auto& e : r.configs) {
    if (e.name == name) return true;
  }
  return false;
}

TEST_F(ConfigsTest, ElrKeepsMinInsyncReplicasAtTheClusterLevel) {
  auto c = connect();
  auto alter = [&](const std::string& entity, std::optional<std::string> value) {
    IncrementalAlterConfigsRequest request;
    request.resources.push_back({kBroker, entity, {{"min.insync.replicas", int8_t(value ? 0 : 1), value, {}}}, {}});
    return c.request<IncrementalAlterConfigsApi>(request, 1).responses.at(0);
  };
  EXPECT_EQ(alter("1", "1").error_message, "Broker-level min.insync.replicas cannot be altered while ELR is enabled.");
  EXPECT_EQ(alter("", std::nullopt).error_message,
            "Cluster-level min.insync.replicas cannot be removed while ELR is enabled.");
  EXPECT_EQ(alter("", "1").error_code, ErrorCode::None);
  // ELR off: both allowed; back on, the cluster level comes back and the broker level goes.
  ASSERT_EQ(update(c, "eligible.leader.replicas.version", 0, 2).error_code, ErrorCode::None);
  EXPECT_EQ(alter("1", "1").error_code, ErrorCode::None);
  EXPECT_EQ(alter("", std::nullopt).error_code, ErrorCode::None);
  EXPECT_FALSE(has_config(describe(kBroker, ""), "min.insync.replicas"));
  EXPECT_EQ(entry(describe(kBroker, "1"), "min.insync.replicas").config_source, 2);  // DYNAMIC_BROKER_CONFIG
  ASSERT_EQ(update(c, "eligible.leader.replicas.version", 1, 1).error_code, ErrorCode::None);
  EXPECT_EQ(entry(describe(kBroker, ""), "min.insync.replicas").value, "1");
  EXPECT_EQ(entry(describe(kBroker, "1"), "min.insync.replicas").config_source, 3);  // DYNAMIC_DEFAULT_BROKER_CONFIG
}

}  // namespace
}  // namespace kafkalite::testing
