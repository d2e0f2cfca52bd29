// ACLs with Kafka's StandardAuthorizer (secure.properties: super users admin
// and ANONYMOUS, allow.everyone.if.no.acl.found=true). A super user (the
// PLAINTEXT connection, ANONYMOUS) creates, describes and deletes ACLs;
// User:eve (PLAIN, used by this scenario only) is then allowed and refused
// on topics, groups, a transactional id and the cluster, API by API.
// Kafka lists DescribeAcls' resources, DeleteAcls' matches and DeleteTopics'
// results in an order it does not define (hash order, a shuffle): those
// lists are sorted here before they are recorded.
#include <algorithm>

#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

constexpr int8_t kTopic = 2, kGroup = 3, kCluster = 4, kTransactionalId = 5;
constexpr int8_t kAny = 1, kMatch = 2, kLiteral = 3, kPrefixed = 4;
constexpr int8_t kRead = 3, kWrite = 4, kAlter = 7, kDescribe = 8;
constexpr int8_t kDeny = 2, kAllow = 3;
const std::string kEve = "User:eve";

CreateAclsRequest::AclCreation acl(int8_t type, const std::string& name, int8_t pattern, const std::string& principal,
                                   int8_t operation, int8_t permission) {
  return {type, name, pattern, principal, "*", operation, permission, {}};
}

DescribeAclsRequest describe_filter(int8_t type, std::optional<std::string> name, int8_t pattern,
                                    std::optional<std::string> principal = std::nullopt) {
  DescribeAclsRequest request;
  request.resource_type_filter = type;
  request.resource_name_filter = std::move(name);
  request.pattern_type_filter = pattern;
  request.principal_filter = std::move(principal);
  request.host_filter = std::nullopt;
  request.operation = kAny;
  request.permission_type = kAny;
  return request;
}

DeleteAclsRequest::DeleteAclsFilter delete_filter(const DescribeAclsRequest& d) {
  return {d.resource_type_filter, d.resource_name_filter, d.pattern_type_filter, d.principal_filter,
          d.host_filter, d.operation, d.permission_type, {}};
}

// Sorts the array under `key` in every object of `j` (recursively): for the
// lists whose order Kafka leaves undefined.
void sort_lists(json& j, const std::vector<std::string>& keys) {
  if (j.is_array()) {
    for (auto& item : j) sort_lists(item, keys);
  } else if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      sort_lists(value, keys);
      if (value.is_array() && std::find(keys.begin(), keys.end(), key) != keys.end()) {
        std::sort(value.begin(), value.end());
      }
    }
  }
}

// Kafka's "needs <OP> permission." message prints its request object (a
// processor number, a connection id): only the permission is compared.
void mask_request_objects(json& j) {
  if (j.is_array()) {
    for (auto& item : j) mask_request_objects(item);
  } else if (j.is_object()) {
    for (auto& [key, value] : j.items()) {
      if (key == "ErrorMessage" && value.is_string()) {
        const std::string text = value.get<std::string>();
        const auto needs = text.rfind(" needs ");
        if (text.rfind("Request", 0) == 0 && needs != std::string::npos) value = "Request(...)" + text.substr(needs);
      } else {
        mask_request_objects(value);
      }
    }
  }
}

// A request on eve's connection, recorded as Session::call records.
template <typename Api>
typename Api::Response as_eve(Session& s, client::Connection& eve, const std::string& label,
                              const typename Api::Request& request, int16_t version = Api::max_stable_version,
                              const std::vector<std::string>& unordered = {}) {
  auto response = eve.request<Api>(request, version);
  json j = to_json(response);
  sort_lists(j, unordered);
  mask_request_objects(j);
  s.note("eve: " + label, {{"api", std::string(Api::name)}, {"version", version}, {"response", j}});
  return response;
}

// The same on the super user's connection, with the unordered lists sorted.
template <typename Api>
typename Api::Response as_super(Session& s, const std::string& label, const typename Api::Request& request,
                                const std::vector<std::string>& unordered = {}) {
  auto response = s.quiet<Api>(request);
  json j = to_json(response);
  sort_lists(j, unordered);
  s.note(label, {{"api", std::string(Api::name)}, {"response", j}});
  return response;
}

// ListGroups, recorded as this scenario's groups listed (sorted: Kafka
// lists in hash order).
void list_own_groups(Session& s, client::Connection& c, const std::string& label) {
  std::vector<std::string> own;
  for (const auto& group : c.request<ListGroupsApi>(ListGroupsRequest{}, 5).groups) {
    if (group.group_id.value().rfind(s.name(""), 0) == 0) own.push_back(group.group_id.value());
  }
  std::sort(own.begin(), own.end());
  s.note(label, own);
}

std::unique_ptr<client::Connection> eve_login(Session& s) {
  auto c = s.sasl_connection();
  SaslHandshakeRequest handshake;
  handshake.mechanism = "PLAIN";
  c->request<SaslHandshakeApi>(handshake, 1);
  SaslAuthenticateRequest login;
  const std::string token = std::string(1, '\0') + "eve" + std::string(1, '\0') + "eve-secret";
  login.auth_bytes.assign(token.begin(), token.end());
  s.note("eve logs in", static_cast<int>(c->request<SaslAuthenticateApi>(login, 2).error_code));
  return c;
}

}  // namespace

CROSSCHECK_SECURE_SCENARIO(acls_standard_authorizer) {
  const std::string t = s.name("t");  // eve: WRITE allowed, READ denied
  const std::string u = s.name("u");  // no ACLs: everyone (the default)
  const std::string v = s.name("v");  // an ACL for admin only: eve denied
  const std::string p = s.name("p");  // eve: DESCRIBE on every topic it prefixes
  const std::string g = s.name("g");  // eve: READ on the group
  const std::string h = s.name("h");  // an ACL for admin only: eve denied
  const std::string x = s.name("x");  // transactional id, admin only
  for (const auto& topic : {t, u, v}) s.create_topic(topic);
  s.call<ProduceApi>("produce to u", produce_request(s, u, 0, s.batch(2)), 9);
  await_group_coordinator(s, {g, h});
  s.call<OffsetCommitApi>("commit h", commit_request(h, -1, "", u, 1));

  CreateAclsRequest create;
  create.creations = {acl(kTopic, t, kLiteral, kEve, kWrite, kAllow), acl(kTopic, t, kLiteral, kEve, kRead, kDeny),
                      acl(kTopic, v, kLiteral, "User:admin", kRead, kAllow),
                      acl(kTopic, p, kPrefixed, kEve, kDescribe, kAllow), acl(kGroup, g, kLiteral, kEve, kRead, kAllow),
                      acl(kGroup, h, kLiteral, "User:admin", kRead, kAllow),
                      acl(kTransactionalId, x, kLiteral, "User:admin", kWrite, kAllow),
                      acl(kTopic, t, kLiteral, kEve, kWrite, kAllow)};  // the same again: stored once
  s.call<CreateAclsApi>("create", create);
  CreateAclsRequest invalid;
  invalid.creations = {acl(kCluster, "another-cluster", kLiteral, kEve, kAlter, kAllow),
                       acl(kTopic, "", kLiteral, kEve, kRead, kAllow), acl(kTopic, t, kLiteral, "eve", kRead, kAllow),
                       acl(kTopic, t, kLiteral, kEve, 20, kAllow), acl(kGroup, g, kLiteral, kEve, kDescribe, 9)};
  s.call<CreateAclsApi>("create invalid ones", invalid);
  CreateAclsRequest any_pattern;
  any_pattern.creations = {acl(kTopic, u, kLiteral, kEve, kRead, kAllow), acl(kTopic, u, kAny, kEve, kRead, kAllow)};
  s.call<CreateAclsApi>("a pattern ANY fails every creation", any_pattern);

  const std::vector<std::string> acl_lists = {"Resources", "Acls", "MatchingAcls"};
  as_super<DescribeAclsApi>(s, "describe t's", describe_filter(kAny, t, kAny), acl_lists);
  as_super<DescribeAclsApi>(s, "describe what applies to p-1", describe_filter(kTopic, p + "-1", kMatch), acl_lists);
  as_super<DescribeAclsApi>(s, "describe eve's", describe_filter(kAny, std::nullopt, kAny, kEve), acl_lists);

  auto eve = eve_login(s);
  auto metadata = metadata_request(std::vector<std::string>{t, u, v, p + "-1"});
  metadata.include_topic_authorized_operations = true;
  as_eve<MetadataApi>(s, *eve, "metadata", metadata, 12);
  metadata.allow_auto_topic_creation = true;
  as_eve<MetadataApi>(s, *eve, "metadata creating p-1", metadata, 12);
  s.await_topic(p + "-1");
  {
    auto all = eve->request<MetadataApi>(metadata_request(std::nullopt), 12);
    std::vector<std::string> own;
    for (const auto& topic : all.topics) {
      if (topic.name && topic.name->value().rfind(s.name(""), 0) == 0) own.push_back(topic.name->value());
    }
    std::sort(own.begin(), own.end());
    s.note("eve: all topics (this scenario's)", own);
  }
  as_eve<ProduceApi>(s, *eve, "produce to t", produce_request(s, t, 0, s.batch(1)), 9);
  as_eve<ProduceApi>(s, *eve, "produce to v", produce_request(s, v, 0, s.batch(1)), 9);
  auto fetch = fetch_request(s, t, 0, 0);
  fetch.topics.push_back(fetch_request(s, u, 0, 0).topics.front());
  as_eve<FetchApi>(s, *eve, "fetch t and u", fetch, 12);
  auto offsets = list_offsets_request(v, 0, -1);
  offsets.topics.push_back(list_offsets_request(u, 0, -1).topics.front());
  as_eve<ListOffsetsApi>(s, *eve, "list offsets of v and u", offsets, 9);
  auto commit = commit_request(g, -1, "", t, 1);
  commit.topics.push_back(commit_request(g, -1, "", u, 1).topics.front());
  as_eve<OffsetCommitApi>(s, *eve, "commit t and u for g", commit, 9);
  as_eve<OffsetCommitApi>(s, *eve, "commit u for h", commit_request(h, -1, "", u, 1), 9);
  OffsetFetchRequest fetch_offsets;
  fetch_offsets.groups.resize(2);
  fetch_offsets.groups[0].group_id = GroupId(g);
  fetch_offsets.groups[0].topics = std::nullopt;
  fetch_offsets.groups[1].group_id = GroupId(h);
  fetch_offsets.groups[1].topics = std::nullopt;
  as_eve<OffsetFetchApi>(s, *eve, "offsets of g and h", fetch_offsets, 9);
  FindCoordinatorRequest find;
  find.coordinator_keys = {g, h};
  as_eve<FindCoordinatorApi>(s, *eve, "coordinators of g and h", find, 6);
  find.key_type = 1;
  find.coordinator_keys = {x};
  as_eve<FindCoordinatorApi>(s, *eve, "coordinator of x", find, 6);
  auto describe_groups = describe_request({g, h});
  describe_groups.include_authorized_operations = true;
  as_eve<DescribeGroupsApi>(s, *eve, "describe g and h", describe_groups, 5);
  list_own_groups(s, *eve, "eve: list groups (this scenario's)");
  DeleteGroupsRequest delete_groups;
  delete_groups.groups_names = {GroupId(h)};
  as_eve<DeleteGroupsApi>(s, *eve, "delete h", delete_groups, 2);
  DescribeConfigsRequest configs;
  configs.resources = {{kTopic, v, std::vector<std::string>{"cleanup.policy"}, {}},
                       {kTopic, u, std::vector<std::string>{"cleanup.policy"}, {}}};
  as_eve<DescribeConfigsApi>(s, *eve, "configs of v and u", configs, 4);
  InitProducerIdRequest init;
  init.transactional_id = TransactionalId(x);
  init.transaction_timeout_ms = 60000;
  as_eve<InitProducerIdApi>(s, *eve, "init producer x", init, 5);
  DescribeClusterRequest cluster;
  cluster.include_cluster_authorized_operations = true;
  as_eve<DescribeClusterApi>(s, *eve, "describe cluster", cluster, 1);

  // An ACL on the cluster makes cluster operations deny-by-default for
  // every principal but the super users: kept only for these few requests.
  CreateAclsRequest cluster_acl;
  cluster_acl.creations = {acl(kCluster, "kafka-cluster", kLiteral, kEve, kAlter, kDeny)};
  s.call<CreateAclsApi>("deny eve ALTER on the cluster", cluster_acl);
  as_eve<CreateAclsApi>(s, *eve, "create an ACL", create, 3);
  as_eve<DescribeAclsApi>(s, *eve, "describe ACLs", describe_filter(kAny, t, kAny), 3);
  as_eve<DescribeClusterApi>(s, *eve, "describe cluster now", cluster, 1);
  // Creating needs CREATE on the cluster, else on the topic; deleting
  // DELETE on the cluster, else DESCRIBE and DELETE on the topic; listing
  // every group DESCRIBE on the cluster, else on each group.
  metadata.topics->back().name = TopicName(p + "-2");
  as_eve<MetadataApi>(s, *eve, "metadata creating p-2", metadata, 12);
  auto create_topics = create_topics_request(p + "-new", 1);
  create_topics.topics.push_back(create_topics_request(s.name("w"), 1).topics.front());
  create_topics.validate_only = true;
  as_eve<CreateTopicsApi>(s, *eve, "create p-new and w (validate only)", create_topics, 7);
  DeleteTopicsRequest delete_topics;
  delete_topics.timeout_ms = 30000;
  delete_topics.topics = {{TopicName(v), {}, {}}, {TopicName(p + "-gone"), {}, {}}, {TopicName(t), {}, {}}};
  as_eve<DeleteTopicsApi>(s, *eve, "delete v, p-gone and t", delete_topics, 6, {"Responses"});
  list_own_groups(s, *eve, "eve: list groups now (this scenario's)");
  DeleteAclsRequest drop_cluster_acl;
  drop_cluster_acl.filters = {delete_filter(describe_filter(kCluster, "kafka-cluster", kLiteral, kEve))};
  as_super<DeleteAclsApi>(s, "delete the cluster ACL", drop_cluster_acl, acl_lists);

  DeleteAclsRequest cleanup;
  cleanup.filters = {delete_filter(describe_filter(kAny, t, kAny)),
                     delete_filter(describe_filter(kTopic, p + "-1", kMatch)),
                     delete_filter(describe_filter(9, std::nullopt, kAny)),
                     delete_filter(describe_filter(kAny, std::nullopt, kAny, kEve)),
                     delete_filter(describe_filter(kAny, v, kAny)), delete_filter(describe_filter(kAny, h, kAny)),
                     delete_filter(describe_filter(kAny, x, kAny))};
  as_super<DeleteAclsApi>(s, "delete them all", cleanup, acl_lists);
  // Kafka answers DeleteAcls once the deletion is in its metadata log; its
  // authorizer takes it in a moment later (a CI run saw eve's ACLs still
  // described). Both brokers are given until they describe none, then
  // recorded: a broker that keeps them shows them in the transcript.
  Session::poll([&] {
    return s.quiet<DescribeAclsApi>(describe_filter(kAny, std::nullopt, kAny, kEve)).resources.empty();
  }, std::chrono::seconds(10));
  as_super<DescribeAclsApi>(s, "eve's left", describe_filter(kAny, std::nullopt, kAny, kEve), acl_lists);
}

// The other APIs' checks, with the same kinds of ACLs: eve may WRITE t and
// READ group g; v, group h and transactional id x have ACLs for admin only.
CROSSCHECK_SECURE_SCENARIO(acls_standard_authorizer_more_apis) {
  const std::string t = s.name("t"), u = s.name("u"), v = s.name("v");
  const std::string g = s.name("g"), h = s.name("h"), x = s.name("x");
  for (const auto& topic : {t, u, v}) s.create_topic(topic);
  s.call<ProduceApi>("produce to u", produce_request(s, u, 0, s.batch(2)), 9);
  await_group_coordinator(s, {g, h});
  s.call<OffsetCommitApi>("commit t for g", commit_request(g, -1, "", t, 1));
  s.call<OffsetCommitApi>("commit u for h", commit_request(h, -1, "", u, 1));
  CreateAclsRequest create;
  create.creations = {
      acl(kTopic, t, kLiteral, kEve, kWrite, kAllow), acl(kTopic, v, kLiteral, "User:admin", kRead, kAllow),
      acl(kGroup, g, kLiteral, kEve, kRead, kAllow), acl(kGroup, h, kLiteral, "User:admin", kRead, kAllow),
      acl(kTransactionalId, x, kLiteral, "User:admin", kWrite, kAllow)};
  s.call<CreateAclsApi>("create", create);
  auto eve = eve_login(s);

  // Transactions: every API asks about the transactional id first.
  AddPartitionsToTxnRequest add_partitions;
  add_partitions.v3_and_below_transactional_id = TransactionalId(x);
  add_partitions.v3_and_below_topics = {{TopicName(u), {0}, {}}};
  as_eve<AddPartitionsToTxnApi>(s, *eve, "add u to x's transaction", add_partitions, 3);
  AddOffsetsToTxnRequest add_offsets;
  add_offsets.transactional_id = TransactionalId(x);
  add_offsets.group_id = GroupId(g);
  as_eve<AddOffsetsToTxnApi>(s, *eve, "add g's offsets to x's transaction", add_offsets, 4);
  TxnOffsetCommitRequest txn_commit;
  txn_commit.transactional_id = TransactionalId(x);
  txn_commit.group_id = GroupId(g);
  txn_commit.topics = {{TopicName(u), {{0, 1, -1, std::string("m"), {}}}, {}}};
  as_eve<TxnOffsetCommitApi>(s, *eve, "commit in x's transaction", txn_commit, 5);
  EndTxnRequest end;
  end.transactional_id = TransactionalId(x);
  as_eve<EndTxnApi>(s, *eve, "end x's transaction", end, 5);
  DescribeTransactionsRequest describe_txn;
  describe_txn.transactional_ids = {TransactionalId(x)};
  as_eve<DescribeTransactionsApi>(s, *eve, "describe x", describe_txn, 0);

  // Topics.
  DescribeTopicPartitionsRequest partitions;
  partitions.topics = {{TopicName(v), {}}, {TopicName(t), {}}, {TopicName(u), {}}};
  as_eve<DescribeTopicPartitionsApi>(s, *eve, "describe partitions of v, t and u", partitions, 0);
  DescribeProducersRequest producers;
  producers.topics = {{TopicName(v), {0}, {}}, {TopicName(u), {0}, {}}};
  as_eve<DescribeProducersApi>(s, *eve, "producers of v and u", producers, 0);
  DeleteRecordsRequest delete_records;
  delete_records.timeout_ms = 30000;
  delete_records.topics = {{TopicName(v), {{0, 0, {}}}, {}}, {TopicName(u), {{0, 1, {}}}, {}}};
  as_eve<DeleteRecordsApi>(s, *eve, "delete records of v and u", delete_records, 2);
  CreatePartitionsRequest more_partitions;
  more_partitions.timeout_ms = 30000;
  more_partitions.validate_only = true;
  more_partitions.topics = {{TopicName(u), 2, std::nullopt, {}}, {TopicName(v), 2, std::nullopt, {}}};
  as_eve<CreatePartitionsApi>(s, *eve, "more partitions for u and v (validate only)", more_partitions, 3);
  auto alter = incremental_alter_config_request(u, "retention.ms", 0, "100000");
  alter.resources.push_back(incremental_alter_config_request(v, "retention.ms", 0, "100000").resources.front());
  alter.validate_only = true;
  as_eve<IncrementalAlterConfigsApi>(s, *eve, "alter u's and v's configs (validate only)", alter, 1);
  AlterConfigsRequest legacy;
  legacy.validate_only = true;
  legacy.resources = {{kTopic, u, {{"retention.ms", std::string("100000"), {}}}, {}},
                      {kTopic, v, {{"retention.ms", std::string("100000"), {}}}, {}}};
  as_eve<AlterConfigsApi>(s, *eve, "legacy alter of u's and v's configs (validate only)", legacy, 2);

  // Groups.
  OffsetDeleteRequest offset_delete;
  offset_delete.group_id = GroupId(h);
  offset_delete.topics = {{TopicName(u), {{0, {}}}, {}}};
  as_eve<OffsetDeleteApi>(s, *eve, "delete h's offsets", offset_delete, 0);
  JoinGroupRequest join;
  join.group_id = GroupId(h);
  join.session_timeout_ms = 30000;
  join.rebalance_timeout_ms = 30000;
  join.protocol_type = "consumer";
  join.protocols = {{"range", {}, {}}};
  as_eve<JoinGroupApi>(s, *eve, "join h", join, 9);
  HeartbeatRequest heartbeat = heartbeat_request(h, 1, "m");
  as_eve<HeartbeatApi>(s, *eve, "heartbeat in h", heartbeat, 4);
  LeaveGroupRequest leave;
  leave.group_id = GroupId(h);
  leave.members = {{"m", std::nullopt, std::nullopt, {}}};
  as_eve<LeaveGroupApi>(s, *eve, "leave h", leave, 5);
  ConsumerGroupHeartbeatRequest consumer_heartbeat;
  consumer_heartbeat.group_id = GroupId(h);
  consumer_heartbeat.member_id = "eve-member-id-0000000";
  consumer_heartbeat.rebalance_timeout_ms = 30000;
  consumer_heartbeat.subscribed_topic_names = std::vector<TopicName>{TopicName(u)};
  consumer_heartbeat.topic_partitions.emplace();
  as_eve<ConsumerGroupHeartbeatApi>(s, *eve, "consumer heartbeat in h", consumer_heartbeat, 1);
  consumer_heartbeat.group_id = GroupId(s.name("new"));
  consumer_heartbeat.subscribed_topic_names = std::vector<TopicName>{TopicName(u), TopicName(v)};
  as_eve<ConsumerGroupHeartbeatApi>(s, *eve, "consumer heartbeat subscribing to v", consumer_heartbeat, 1);
  ConsumerGroupDescribeRequest consumer_describe;
  consumer_describe.group_ids = {GroupId(h)};
  as_eve<ConsumerGroupDescribeApi>(s, *eve, "consumer-describe h", consumer_describe, 1);

  // The cluster's operations (an ACL on it only for these requests).
  CreateAclsRequest cluster_acl;
  cluster_acl.creations = {acl(kCluster, "kafka-cluster", kLiteral, kEve, kAlter, kDeny)};
  s.call<CreateAclsApi>("deny eve ALTER on the cluster", cluster_acl);
  // Kafka answers CreateAcls once the ACL is committed to its metadata log;
  // the broker's authorizer takes it in a moment later. Until then the
  // cluster has no ACL, so eve's CLUSTER_ACTION falls to
  // allow.everyone.if.no.acl.found and OffsetForLeaderEpoch skips the topic
  // checks: a CI run saw v answered without error. Both brokers are given
  // until they describe the new ACL (DescribeAcls reads the same ACLs the
  // broker authorizes with).
  Session::poll([&] {
    return !s.quiet<DescribeAclsApi>(describe_filter(kCluster, "kafka-cluster", kLiteral, kEve)).resources.empty();
  }, std::chrono::seconds(10));
  OffsetForLeaderEpochRequest epochs;
  epochs.topics = {{TopicName(v), {{0, -1, 0, {}}}, {}}, {TopicName(u), {{0, -1, 0, {}}}, {}}};
  as_eve<OffsetForLeaderEpochApi>(s, *eve, "end offsets of v and u", epochs, 4);
  auto follower = fetch_request(s, u, 0, 0);
  follower.replica_id = BrokerId(7);
  as_eve<FetchApi>(s, *eve, "fetch as a follower", follower, 12);
  DescribeUserScramCredentialsRequest scram;
  scram.users = std::vector<DescribeUserScramCredentialsRequest::UserName>{{"eve", {}}};
  as_eve<DescribeUserScramCredentialsApi>(s, *eve, "describe SCRAM users", scram, 0);
  AlterUserScramCredentialsRequest alter_scram;
  alter_scram.deletions = {{"eve", 1, {}}};
  as_eve<AlterUserScramCredentialsApi>(s, *eve, "delete a SCRAM credential", alter_scram, 0);
  as_eve<DescribeLogDirsApi>(s, *eve, "describe log dirs", DescribeLogDirsRequest{}, 4);
  ElectLeadersRequest elect;
  elect.topic_partitions = std::vector<ElectLeadersRequest::TopicPartitions>{{TopicName(u), {0}, {}}};
  as_eve<ElectLeadersApi>(s, *eve, "elect leaders", elect, 2);
  ListPartitionReassignmentsRequest reassignments;
  reassignments.topics = std::nullopt;
  as_eve<ListPartitionReassignmentsApi>(s, *eve, "list reassignments", reassignments, 0);
  UpdateFeaturesRequest features;
  features.validate_only = true;
  features.feature_updates = {{"group.version", 1, false, 1, {}}};
  as_eve<UpdateFeaturesApi>(s, *eve, "update features (validate only)", features, 1);
  as_eve<DescribeClientQuotasApi>(s, *eve, "describe client quotas", DescribeClientQuotasRequest{}, 1);
  DescribeConfigsRequest broker_configs;
  broker_configs.resources = {{kCluster, "", std::vector<std::string>{"log.retention.ms"}, {}}};
  as_eve<DescribeConfigsApi>(s, *eve, "describe the cluster's configs", broker_configs, 4);
  AddPartitionsToTxnRequest verify;
  verify.transactions = {{TransactionalId(x), ProducerId(1), 0, true, {{TopicName(u), {0}, {}}}, {}}};
  as_eve<AddPartitionsToTxnApi>(s, *eve, "verify partitions (as a broker)", verify, 5);
  DeleteAclsRequest cleanup;
  cleanup.filters = {delete_filter(describe_filter(kCluster, "kafka-cluster", kLiteral, kEve))};
  for (const auto& name : {t, v, g, h, x}) cleanup.filters.push_back(delete_filter(describe_filter(kAny, name, kAny)));
  as_super<DeleteAclsApi>(s, "delete them all", cleanup, {"Resources", "Acls", "MatchingAcls"});
}

// A consumer group's regex subscription (KIP-848) is resolved over the
// topics the member may DESCRIBE: r-one (an ACL allows eve), r-three (no
// ACL: everyone) are assigned, r-two (an ACL for admin only) is not. The
// topics differ in partition count, so the counts say which were assigned.
CROSSCHECK_SECURE_SCENARIO(acls_regex_subscription) {
  const std::string group = s.name("g");
  await_group_coordinator(s, {group});
  for (const auto& [suffix, partitions] : {std::pair{"r-one", 2}, std::pair{"r-two", 3}, std::pair{"r-three", 1}}) {
    s.create_topic(s.name(suffix), partitions);
  }
  CreateAclsRequest create;
  create.creations = {acl(kTopic, s.name("r-one"), kLiteral, kEve, kDescribe, kAllow),
                      acl(kTopic, s.name("r-two"), kLiteral, "User:admin", kDescribe, kAllow),
                      acl(kGroup, group, kLiteral, kEve, kRead, kAllow)};
  s.call<CreateAclsApi>("create", create);
  auto eve = eve_login(s);
  ConsumerGroupHeartbeatRequest join;
  join.group_id = GroupId(group);
  join.member_id = s.name("m");
  join.rebalance_timeout_ms = 30000;
  join.subscribed_topic_regex = s.name("r-.*");
  join.topic_partitions.emplace();
  as_eve<ConsumerGroupHeartbeatApi>(s, *eve, "join by regex", join, 1);
  // Resolution runs beside the heartbeats: beat until it shows.
  ConsumerGroupHeartbeatRequest beat;
  beat.group_id = GroupId(group);
  beat.member_id = s.name("m");
  beat.member_epoch = 1;
  ConsumerGroupHeartbeatResponse got;
  Session::poll([&] {
    got = eve->request<ConsumerGroupHeartbeatApi>(beat, 1);
    if (got.member_epoch > 0) beat.member_epoch = got.member_epoch;
    return got.error_code != ErrorCode::None || (got.assignment && !got.assignment->topic_partitions.empty());
  });
  json counts = json::array();
  if (got.assignment) {
    for (const auto& t : got.assignment->topic_partitions) counts.push_back(t.partitions.size());
  }
  std::sort(counts.begin(), counts.end());
  s.note("eve: assigned", {{"error", static_cast<int16_t>(got.error_code)}, {"partitions per topic", counts}});
  beat.member_epoch = -1;
  as_eve<ConsumerGroupHeartbeatApi>(s, *eve, "leave", beat, 1);
  DeleteAclsRequest cleanup;
  for (const auto& name : {s.name("r-one"), s.name("r-two"), group}) {
    cleanup.filters.push_back(delete_filter(describe_filter(kAny, name, kAny)));
  }
  as_super<DeleteAclsApi>(s, "delete them all", cleanup, {"Resources", "Acls", "MatchingAcls"});
}

}  // namespace kafkalite::crosscheck
