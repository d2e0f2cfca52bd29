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
  as_super<DescribeAclsApi>(s, "eve's left", describe_filter(kAny, std::nullopt, kAny, kEve), acl_lists);
}

}  // namespace kafkalite::crosscheck
