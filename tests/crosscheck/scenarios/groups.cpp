// Consumer groups, classic protocol: FindCoordinator, JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, OffsetDelete,
// DescribeGroups, ListGroups, DeleteGroups, ConsumerGroupDescribe.
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

namespace {

JoinGroupRequest join_request(const std::string& group, const std::string& member_id,
                              const std::string& protocol = "range") {
  JoinGroupRequest request;
  request.group_id = GroupId(group);
  request.session_timeout_ms = 10000;
  request.rebalance_timeout_ms = 10000;
  request.member_id = member_id;
  request.protocol_type = "consumer";
  auto& p = request.protocols.emplace_back();
  p.name = protocol;
  p.metadata = {0, 1, 2, 3};
  return request;
}

JoinGroupRequest join_request_static(const std::string& group, const std::string& instance) {
  JoinGroupRequest request = join_request(group, "");
  request.group_instance_id = instance;
  return request;
}

OffsetFetchRequest fetch_offsets_request(const std::string& group, std::optional<std::string> topic) {
  OffsetFetchRequest request;
  auto& g = request.groups.emplace_back();
  g.group_id = GroupId(group);
  if (topic) {
    auto& t = g.topics->emplace_back();
    t.name = TopicName(*topic);
    t.partition_indexes = {0, 1};
  } else {
    g.topics = std::nullopt;
  }
  return request;
}


}  // namespace

CROSSCHECK_SCENARIO(groups_find_coordinator, "") {
  FindCoordinatorRequest batched;
  batched.key_type = 0;
  batched.coordinator_keys = {s.name("g1"), s.name("g2")};
  await_group_coordinator(s, {s.name("g1"), s.name("g2")});
  s.call<FindCoordinatorApi>("two groups, v6", batched);
  FindCoordinatorRequest single;
  single.key = s.name("g1");
  s.call<FindCoordinatorApi>("one group, v3", single, 3);
  s.call<FindCoordinatorApi>("one group, v0", single, 0);
  FindCoordinatorRequest bad_type;
  bad_type.key_type = 5;
  bad_type.coordinator_keys = {s.name("g1")};
  s.call<FindCoordinatorApi>("unknown key type", bad_type);
}

CROSSCHECK_SCENARIO(groups_member_lifecycle, "") {
  await_group_coordinator(s, {s.name("g")});
  const std::string topic = s.name("t"), group = s.name("g");
  s.create_topic(topic, 2);
  auto first = s.call<JoinGroupApi>("join without a member id", join_request(group, ""));
  const std::string member = first.member_id;
  auto joined = s.call<JoinGroupApi>("join with the given id", join_request(group, member));
  const int32_t gen = joined.generation_id;
  s.call<SyncGroupApi>("leader syncs", sync_request(group, gen, member, {{member, {9, 9}}}));
  s.call<HeartbeatApi>("heartbeat", heartbeat_request(group, gen, member));
  s.call<HeartbeatApi>("heartbeat, wrong generation", heartbeat_request(group, gen + 1, member));
  s.call<HeartbeatApi>("heartbeat, unknown member", heartbeat_request(group, gen, "nobody"));
  s.call<HeartbeatApi>("heartbeat, empty group id", heartbeat_request("", gen, member));
  s.call<SyncGroupApi>("sync, wrong generation", sync_request(group, gen + 5, member));
  s.call<OffsetCommitApi>("commit", commit_request(group, gen, member, topic, 5));
  s.call<OffsetCommitApi>("commit, stale generation", commit_request(group, gen - 1, member, topic, 6));
  s.call<OffsetCommitApi>("commit, unknown member", commit_request(group, gen, "nobody", topic, 6));
  s.call<OffsetCommitApi>("commit, unknown topic", commit_request(group, gen, member, s.name("none"), 1));
  s.call<OffsetFetchApi>("fetch offsets", fetch_offsets_request(group, topic));
  s.call<OffsetFetchApi>("fetch all offsets", fetch_offsets_request(group, std::nullopt));
  s.call<DescribeGroupsApi>("describe stable", describe_request({group}));
  ListGroupsRequest list;
  s.call<ListGroupsApi>("list", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  list.states_filter = {"Stable"};
  s.call<ListGroupsApi>("list Stable", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  DeleteGroupsRequest del;
  del.groups_names = {GroupId(group)};
  s.call<DeleteGroupsApi>("delete a non-empty group", del);
  ConsumerGroupDescribeRequest cgd;
  cgd.group_ids = {GroupId(group)};
  s.call<ConsumerGroupDescribeApi>("ConsumerGroupDescribe of a classic group", cgd);
  LeaveGroupRequest leave;
  leave.group_id = GroupId(group);
  leave.members.push_back({member, std::nullopt, std::nullopt, {}});
  leave.members.push_back({"nobody", std::nullopt, std::nullopt, {}});
  s.call<LeaveGroupApi>("leave (and an unknown member)", leave);
  s.call<DescribeGroupsApi>("describe empty", describe_request({group}));
  s.call<OffsetFetchApi>("offsets kept", fetch_offsets_request(group, topic));
  s.call<DeleteGroupsApi>("delete the empty group", del);
  s.call<DescribeGroupsApi>("describe deleted, v5", describe_request({group}), 5);
  s.call<DescribeGroupsApi>("describe deleted, v6", describe_request({group}), 6);
  s.call<DeleteGroupsApi>("delete again", del);
}

CROSSCHECK_SCENARIO(groups_rebalance, "") {
  await_group_coordinator(s, {s.name("g")});
  const std::string group = s.name("g");
  s.create_topic(s.name("t"), 1);
  auto a_id = s.call<JoinGroupApi>("A: member id", join_request(group, "")).member_id;
  auto a = s.call<JoinGroupApi>("A: joins", join_request(group, a_id));
  s.call<SyncGroupApi>("A: syncs", sync_request(group, a.generation_id, a_id, {{a_id, {1}}}));
  auto b_id = s.call<JoinGroupApi>("B: member id", join_request(group, "")).member_id;
  s.send<JoinGroupApi>(1, join_request(group, b_id));  // waits for A to rejoin
  s.await_group_state(group, "PreparingRebalance");
  s.call<HeartbeatApi>("A: heartbeat during the rebalance",
                       heartbeat_request(group, a.generation_id, a_id));
  s.call<OffsetCommitApi>("A: commit during the rebalance",
                          commit_request(group, a.generation_id, a_id, s.name("t"), 1));
  s.call<DescribeGroupsApi>("describe preparing", describe_request({group}));
  auto a2 = s.call<JoinGroupApi>("A: rejoins", join_request(group, a_id));
  auto b = s.receive<JoinGroupApi>(1, "B: joined");
  s.call<HeartbeatApi>("A: heartbeat before the sync",
                       heartbeat_request(group, a2.generation_id, a_id));
  s.send<SyncGroupApi>(1, sync_request(group, b.generation_id, b_id));  // follower waits for the leader
  s.call<SyncGroupApi>("A: leader syncs", sync_request(group, a2.generation_id, a_id,
                                                       {{a_id, {1}}, {b_id, {2}}}));
  s.receive<SyncGroupApi>(1, "B: sync answered");
  s.call<JoinGroupApi>("C: inconsistent protocol type", [&] {
    auto r = join_request(group, "");
    r.protocol_type = "connect";
    return r;
  }());
  s.call<JoinGroupApi>("D: session timeout too small", [&] {
    auto r = join_request(group, "");
    r.session_timeout_ms = 10;
    return r;
  }());
  s.call<DescribeGroupsApi>("describe stable with two", describe_request({group}));
}

CROSSCHECK_SCENARIO(groups_standalone_offsets, "") {
  await_group_coordinator(s, {s.name("simple"), s.name("other"), s.name("never")});
  const std::string topic = s.name("t"), group = s.name("simple");
  s.create_topic(topic, 2);
  s.call<OffsetFetchApi>("unknown group", fetch_offsets_request(group, topic));
  s.call<OffsetCommitApi>("commit without a member", commit_request(group, -1, "", topic, 3));
  s.call<OffsetCommitApi>("commit, generation 2 on a simple group", commit_request(group, 2, "m", topic, 3));
  auto big = commit_request(group, -1, "", topic, 4);
  big.topics[0].partitions[0].committed_metadata = std::string(5000, 'm');
  s.call<OffsetCommitApi>("metadata too large", big);
  s.call<OffsetFetchApi>("fetch", fetch_offsets_request(group, topic));
  auto two = fetch_offsets_request(group, topic);
  two.groups.push_back(fetch_offsets_request(s.name("other"), std::nullopt).groups[0]);
  two.require_stable = true;
  s.call<OffsetFetchApi>("fetch two groups at once, require_stable", two);
  s.call<DescribeGroupsApi>("describe", describe_request({group}));
  ListGroupsRequest list;
  list.states_filter = {"empty"};
  s.call<ListGroupsApi>("list empty", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  OffsetDeleteRequest del;
  del.group_id = GroupId(group);
  auto& t = del.topics.emplace_back();
  t.name = TopicName(topic);
  t.partitions.push_back({0, {}});
  s.call<OffsetDeleteApi>("offset delete", del);
  s.call<OffsetFetchApi>("fetch after delete", fetch_offsets_request(group, topic));
  DeleteGroupsRequest groups;
  groups.groups_names = {GroupId(group), GroupId(s.name("never"))};
  s.call<DeleteGroupsApi>("delete it and an unknown group", groups);
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {

namespace {

// ConsumerProtocolSubscription v0 naming `topics` (what Java and librdkafka
// consumers send as JoinGroup metadata).
wire::Bytes subscription(const std::vector<std::string>& topics) {
  wire::Writer w;
  w.write_int16(0);
  w.write_int32(static_cast<int32_t>(topics.size()));
  for (const auto& t : topics) w.write_string(t, false);
  w.write_int32(-1);  // no user data
  return w.take();
}

}  // namespace

CROSSCHECK_SCENARIO(groups_old_versions, "") {
  await_group_coordinator(s, {s.name("g"), s.name("unknown")});
  const std::string topic = s.name("t"), group = s.name("g");
  s.create_topic(topic, 1);
  auto join = join_request(group, "");
  auto joined = s.call<JoinGroupApi>("JoinGroup v0 joins at once", join, 0);
  auto sync = sync_request(group, joined.generation_id, joined.member_id, {{joined.member_id, {3}}});
  s.call<SyncGroupApi>("SyncGroup v0", sync, 0);
  s.call<SyncGroupApi>("SyncGroup v5 without a protocol type", [&] {
    auto r = sync;
    r.protocol_type = std::nullopt;
    return r;
  }(), 5);
  s.call<HeartbeatApi>("Heartbeat v0", heartbeat_request(group, joined.generation_id, joined.member_id), 0);
  s.call<JoinGroupApi>("JoinGroup v3: the leader rejoins a stable group", join_request(group, joined.member_id), 3);
  auto commit = commit_request(group, joined.generation_id + 1, joined.member_id, topic, 7);
  commit.retention_time_ms = 60000;
  s.call<OffsetCommitApi>("OffsetCommit v2 with a retention time", commit, 2);
  OffsetFetchRequest v1;
  v1.group_id = GroupId(group);
  v1.topics->push_back({TopicName(topic), {0}, {}});
  s.call<OffsetFetchApi>("OffsetFetch v1", v1, 1);
  s.call<OffsetFetchApi>("OffsetFetch v5", v1, 5);
  OffsetFetchRequest all_v5;
  all_v5.group_id = GroupId(group);
  all_v5.topics = std::nullopt;
  s.call<OffsetFetchApi>("OffsetFetch v5, all topics", all_v5, 5);
  v1.group_id = GroupId(s.name("unknown"));
  s.call<OffsetFetchApi>("OffsetFetch v1, unknown group", v1, 1);
  s.call<OffsetCommitApi>("OffsetCommit v8, unknown group, generation 1",
                          commit_request(s.name("unknown"), 1, "m", topic, 1), 8);
  auto describe = describe_request({group, s.name("unknown")});
  s.call<DescribeGroupsApi>("DescribeGroups v0", describe, 0);
  describe.include_authorized_operations = true;
  s.call<DescribeGroupsApi>("DescribeGroups v3 with operations", describe, 3);
  ListGroupsRequest list;
  s.call<ListGroupsApi>("ListGroups v0", list, 0, Listing::kOwnOnly);
  list.states_filter = {" completingrebalance ", "STABLE"};
  s.call<ListGroupsApi>("ListGroups v4, states in any case", list, 4, Listing::kOwnOnly);
  list.states_filter = {};
  list.types_filter = {"Classic"};
  s.call<ListGroupsApi>("ListGroups v5, type Classic", list, 5, Listing::kOwnOnly);
  list.types_filter = {"consumer"};
  s.call<ListGroupsApi>("ListGroups v5, type consumer", list, 5, Listing::kOwnOnly);
  LeaveGroupRequest leave;
  leave.group_id = GroupId(group);
  leave.member_id = joined.member_id;
  s.call<LeaveGroupApi>("LeaveGroup v0", leave, 0);
  s.call<LeaveGroupApi>("LeaveGroup v0 again", leave, 0);
  ConsumerGroupDescribeRequest cgd;
  cgd.group_ids = {GroupId(s.name("unknown")), ""};
  s.call<ConsumerGroupDescribeApi>("ConsumerGroupDescribe, unknown and empty id", cgd);
}

CROSSCHECK_SCENARIO(groups_static_members, "") {
  await_group_coordinator(s, {s.name("g")});
  const std::string group = s.name("g");
  auto joined = s.call<JoinGroupApi>("static member joins", join_request_static(group, "i1"));
  s.call<SyncGroupApi>("syncs", sync_request(group, joined.generation_id, joined.member_id,
                                             {{joined.member_id, {4, 2}}}));
  auto again = s.call<JoinGroupApi>("same instance restarts", join_request_static(group, "i1"));
  auto hb = heartbeat_request(group, joined.generation_id, joined.member_id);
  hb.group_instance_id = "i1";
  s.call<HeartbeatApi>("old member is fenced", hb);
  hb.member_id = again.member_id;
  s.call<HeartbeatApi>("new member beats", hb);
  s.call<SyncGroupApi>("new member syncs", [&] {
    auto r = sync_request(group, again.generation_id, again.member_id);
    r.group_instance_id = "i1";
    return r;
  }());
  hb.group_instance_id = "i2";
  s.call<HeartbeatApi>("unknown instance", hb);
  s.call<DescribeGroupsApi>("describe", describe_request({group}));
  LeaveGroupRequest leave;
  leave.group_id = GroupId(group);
  leave.members.push_back({"", std::string("i1"), std::nullopt, {}});
  leave.members.push_back({"", std::string("i9"), std::nullopt, {}});
  s.call<LeaveGroupApi>("leave by instance id", leave);
  s.call<DescribeGroupsApi>("describe after", describe_request({group}));
}

CROSSCHECK_SCENARIO(groups_offset_delete, "") {
  await_group_coordinator(s, {s.name("g"), s.name("unknown")});
  const std::string t = s.name("t"), u = s.name("u"), group = s.name("g");
  s.create_topic(t, 1);
  s.create_topic(u, 1);
  auto join = join_request(group, "");
  join.protocols[0].metadata = subscription({t});
  const std::string id = s.quiet<JoinGroupApi>(join).member_id;
  join.member_id = id;
  auto joined = s.call<JoinGroupApi>("joins subscribed to t", join);
  s.call<SyncGroupApi>("syncs", sync_request(group, joined.generation_id, id, {{id, {}}}));
  s.call<OffsetCommitApi>("commit t", commit_request(group, joined.generation_id, id, t, 3));
  s.call<OffsetCommitApi>("commit u", commit_request(group, joined.generation_id, id, u, 4));
  OffsetDeleteRequest del;
  del.group_id = GroupId(group);
  del.topics.push_back({TopicName(t), {{0, {}}}, {}});
  del.topics.push_back({TopicName(u), {{0, {}}}, {}});
  del.topics.push_back({TopicName(s.name("none")), {{0, {}}}, {}});
  s.call<OffsetDeleteApi>("delete offsets of t, u and an unknown topic", del);
  s.call<OffsetFetchApi>("what is left", fetch_offsets_request(group, std::nullopt));
  del.group_id = GroupId(s.name("unknown"));
  s.call<OffsetDeleteApi>("unknown group", del);
  del.group_id = "";
  s.call<OffsetDeleteApi>("empty group id", del);
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {

// Both brokers stop and start again on their data: a group comes back with
// its member, which carries on without rejoining until its session ends.
CROSSCHECK_RESTART_SCENARIO(groups_after_a_restart) {
  const std::string topic = s.name("t"), group = s.name("g"), simple = s.name("simple");
  s.create_topic(topic, 1);
  await_group_coordinator(s, {group, simple});
  JoinGroupRequest join = join_request(group, "");
  join.session_timeout_ms = 6000;  // Kafka's smallest, so the session ends within the scenario
  auto required = s.call<JoinGroupApi>("join without a member id", join);
  join.member_id = required.member_id;
  auto joined = s.call<JoinGroupApi>("join", join);
  s.call<SyncGroupApi>("sync", sync_request(group, joined.generation_id, joined.member_id, {{joined.member_id, {9, 9}}}));
  s.call<OffsetCommitApi>("commit 5", commit_request(group, joined.generation_id, joined.member_id, topic, 5));
  s.call<OffsetCommitApi>("a simple group commits 3", commit_request(simple, -1, "", topic, 3));
  s.call<ProduceApi>("3 records", produce_request(s, topic, 0, s.batch(3)));

  s.restart_broker();
  s.await_topic(topic);
  await_group_coordinator(s, {group, simple});
  s.call<DescribeGroupsApi>("the groups after the restart", describe_request({group, simple}));
  s.call<HeartbeatApi>("the member's heartbeat", heartbeat_request(group, joined.generation_id, joined.member_id));
  s.call<SyncGroupApi>("sync in Stable: its assignment", sync_request(group, joined.generation_id, joined.member_id));
  s.call<OffsetCommitApi>("the member commits 6", commit_request(group, joined.generation_id, joined.member_id, topic, 6));
  s.call<OffsetFetchApi>("the group's offsets", fetch_offsets_request(group, topic));
  s.call<OffsetFetchApi>("the simple group's offsets", fetch_offsets_request(simple, std::nullopt));
  s.call<FetchApi>("the records", fetch_request(s, topic, 0, 0));
  ListGroupsRequest list;
  s.call<ListGroupsApi>("list groups", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);

  // The member never comes back: when its session ends it is removed.
  s.await_group_state(group, "Empty");
  s.call<DescribeGroupsApi>("after its session ended", describe_request({group}));
  s.call<HeartbeatApi>("a late heartbeat", heartbeat_request(group, joined.generation_id, joined.member_id));
  s.call<OffsetFetchApi>("its offsets stay", fetch_offsets_request(group, topic));
}

}  // namespace kafkalite::crosscheck
