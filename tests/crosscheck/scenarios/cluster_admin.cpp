// Admin APIs a 4.1.1 broker offers that mean little on one node: ACLs
// without an authorizer (SECURITY_DISABLED; a request with UNKNOWN codes
// closes the connection), leader elections (never needed), and partition
// reassignments (none in progress; the only assignment is this node).
#include "common/protocol/frame.h"
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

DescribeAclsRequest describe_all_acls() {
  DescribeAclsRequest request;
  request.resource_type_filter = 1;  // ANY
  request.resource_name_filter = std::nullopt;
  request.pattern_type_filter = 1;  // ANY
  request.principal_filter = std::nullopt;
  request.host_filter = std::nullopt;
  request.operation = 1;        // ANY
  request.permission_type = 1;  // ANY
  return request;
}

}  // namespace

CROSSCHECK_SCENARIO(acls_without_an_authorizer, "") {
  const std::string topic = s.name("acl");
  for (int16_t v = DescribeAclsApi::min_version; v <= DescribeAclsApi::max_stable_version; ++v) {
    s.call<DescribeAclsApi>("describe all, v" + std::to_string(v), describe_all_acls(), v);
  }
  CreateAclsRequest create;
  create.creations.push_back({2, topic, 3, "User:alice", "*", 3, 3, {}});  // topic, literal, READ, ALLOW
  create.creations.push_back({2, topic, 4, "User:bob", "*", 4, 2, {}});    // prefixed, WRITE, DENY
  for (int16_t v = CreateAclsApi::min_version; v <= CreateAclsApi::max_stable_version; ++v) {
    s.call<CreateAclsApi>("create two, v" + std::to_string(v), create, v);
  }
  DeleteAclsRequest del;
  del.filters.push_back({2, topic, 3, std::nullopt, std::nullopt, 1, 1, {}});
  for (int16_t v = DeleteAclsApi::min_version; v <= DeleteAclsApi::max_stable_version; ++v) {
    s.call<DeleteAclsApi>("delete by filter, v" + std::to_string(v), del, v);
  }
  // UNKNOWN (0) codes: Kafka cannot build the request, and closes the connection.
  auto unknown = describe_all_acls();
  unknown.operation = 0;
  s.send_raw("describe with an UNKNOWN operation", encode_request_frame<DescribeAclsApi>(unknown, 3, 7, "crosscheck"));
  CreateAclsRequest unknown_create = create;
  unknown_create.creations[1].resource_type = 0;
  s.send_raw("create with an UNKNOWN resource type",
             encode_request_frame<CreateAclsApi>(unknown_create, 3, 8, "crosscheck"));
  DeleteAclsRequest unknown_delete = del;
  unknown_delete.filters[0].permission_type = 0;
  s.send_raw("delete with an UNKNOWN permission type",
             encode_request_frame<DeleteAclsApi>(unknown_delete, 3, 9, "crosscheck"));
  s.call<DescribeAclsApi>("a new connection still works", describe_all_acls());
}

CROSSCHECK_SCENARIO(elect_leaders_on_one_node, "") {
  const std::string topic = s.name("el");
  s.create_topic(topic, 2);
  for (int16_t v = ElectLeadersApi::min_version; v <= ElectLeadersApi::max_stable_version; ++v) {
    const auto suffix = ", v" + std::to_string(v);
    for (int8_t type : {int8_t{0}, int8_t{1}}) {
      if (v == 0 && type != 0) continue;
      ElectLeadersRequest request;
      request.election_type = type;
      request.topic_partitions.emplace();
      request.topic_partitions->push_back({TopicName(topic), {0, 1, 5}, {}});
      request.topic_partitions->push_back({TopicName(s.name("missing")), {0}, {}});
      s.call<ElectLeadersApi>((type == 0 ? "preferred" : "unclean") + suffix, request, v);
    }
    ElectLeadersRequest all;
    all.topic_partitions = std::nullopt;
    // Every topic, with no partition (none needs an election): this
    // scenario's own (the reference broker is shared).
    const auto answer = s.quiet<ElectLeadersApi>(all, v);
    json own = json::array();
    for (const auto& r : answer.replica_election_results) {
      if (r.topic == topic) own.push_back({r.topic.value(), r.partition_result.size()});
    }
    s.note("all partitions" + suffix, {{"error_code", static_cast<int16_t>(answer.error_code)}, {"own topics", own}});
    if (v >= 1) {
      ElectLeadersRequest odd;
      odd.election_type = 5;
      odd.topic_partitions.emplace();
      odd.topic_partitions->push_back({TopicName(topic), {0}, {}});
      s.call<ElectLeadersApi>("an unknown election type" + suffix, odd, v);
    }
  }
}

CROSSCHECK_SCENARIO(partition_reassignments_on_one_node, "") {
  const std::string topic = s.name("re");
  s.create_topic(topic, 1);
  auto one = [&](std::optional<std::vector<BrokerId>> replicas, int32_t partition = 0,
                 const std::string& name = "") {
    AlterPartitionReassignmentsRequest request;
    auto& t = request.topics.emplace_back();
    t.name = TopicName(name.empty() ? topic : name);
    t.partitions.push_back({partition, std::move(replicas), {}});
    return request;
  };
  for (int16_t v = AlterPartitionReassignmentsApi::min_version;
       v <= AlterPartitionReassignmentsApi::max_stable_version; ++v) {
    const auto suffix = ", v" + std::to_string(v);
    s.call<AlterPartitionReassignmentsApi>("to this node" + suffix, one(std::vector<BrokerId>{BrokerId(1)}), v);
    s.call<AlterPartitionReassignmentsApi>("to another node" + suffix, one(std::vector<BrokerId>{BrokerId(2)}), v);
    s.call<AlterPartitionReassignmentsApi>("to no node" + suffix, one(std::vector<BrokerId>{}), v);
    s.call<AlterPartitionReassignmentsApi>("this node twice" + suffix,
                                           one(std::vector<BrokerId>{BrokerId(1), BrokerId(1)}), v);
    s.call<AlterPartitionReassignmentsApi>("cancel" + suffix, one(std::nullopt), v);
    s.call<AlterPartitionReassignmentsApi>("an unknown partition" + suffix, one(std::vector<BrokerId>{BrokerId(1)}, 3), v);
    s.call<AlterPartitionReassignmentsApi>("an unknown topic" + suffix,
                                           one(std::vector<BrokerId>{BrokerId(1)}, 0, s.name("missing")), v);
    if (v >= 1) {
      auto fixed = one(std::vector<BrokerId>{BrokerId(1), BrokerId(2)});
      fixed.allow_replication_factor_change = false;
      s.call<AlterPartitionReassignmentsApi>("a new replication factor, not allowed" + suffix, fixed, v);
    }
  }
  ListPartitionReassignmentsRequest all;
  s.call<ListPartitionReassignmentsApi>("list all", all);
  ListPartitionReassignmentsRequest named;
  named.topics.emplace();
  named.topics->push_back({TopicName(topic), {0}, {}});
  named.topics->push_back({TopicName(s.name("missing")), {0}, {}});
  s.call<ListPartitionReassignmentsApi>("list named", named);
}

}  // namespace kafkalite::crosscheck
